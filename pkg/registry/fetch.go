package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// MaxMetadataResponse bounds a MetadataService response body.
const MaxMetadataResponse = 8 << 20

var fetchID atomic.Int64

// FetchMetadata calls MetadataService#getMetadataInfo(revision) on the
// instance, as a Dubbo 3 consumer does for an instance whose metadata is
// stored locally: over the Dubbo protocol at the instance's address, group
// the instance's application, the version its url-params name (1.0.0 when
// they do not). The call is one request on a connection of its own, closed
// after the answer; ctx bounds it.
func FetchMetadata(ctx context.Context, in *Instance) (*MetadataInfo, error) {
	params, err := in.ServiceParams()
	if err != nil {
		return nil, err
	}
	version := params[KeyVersion]
	if version == "" {
		version = MetadataVersionV1
	}
	port := *in.Port
	if p := params[KeyPort]; p != "" {
		if port, err = strconv.Atoi(p); err != nil || port <= 0 || port > 65535 {
			return nil, fmt.Errorf("registry: instance %q: %w: metadata service port %q", clip(in.ID), ErrMalformed, clip(p))
		}
	}
	addr := InstanceID(in.Host(), port)
	m, err := callMetadata(ctx, addr, in.Name, version, in.Revision())
	if err != nil {
		return nil, fmt.Errorf("registry: MetadataService of %s at %s (revision %s): %w", clip(in.Name), addr, clip(in.Revision()), err)
	}
	return m, nil
}

func callMetadata(ctx context.Context, addr, app, version, revision string) (*MetadataInfo, error) {
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	} else {
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()

	id := fetchID.Add(1)
	h := dubbo.Header{Request: true, TwoWay: true, Serialization: dubbo.SerializationHessian2, ID: id}
	frame, err := dubbo.AppendRequestBody(dubbo.AppendHeader(nil, h), &dubbo.Request{
		RequestHead: dubbo.RequestHead{
			DubboVersion: dubbo.DubboVersion,
			Path:         dubbo.MetadataServiceInterface,
			Version:      version,
			Method:       dubbo.MetadataServiceMethod,
			ParamTypes:   dubbo.MetadataServiceParams,
		},
		Args: []any{revision},
		Attachments: map[string]any{
			"path":      dubbo.MetadataServiceInterface,
			"interface": dubbo.MetadataServiceInterface,
			"version":   version,
			"group":     app,
		},
	})
	if err != nil {
		return nil, err
	}
	dubbo.PutBodyLength(frame, len(frame)-dubbo.HeaderLength)
	if _, err := conn.Write(frame); err != nil {
		return nil, err
	}
	for {
		var hb [dubbo.HeaderLength]byte
		if _, err := io.ReadFull(conn, hb[:]); err != nil {
			return nil, err
		}
		rh, err := dubbo.ParseHeader(hb[:])
		if err != nil {
			return nil, err
		}
		if err := dubbo.CheckBodyLength(rh.BodyLength, MaxMetadataResponse); err != nil {
			return nil, err
		}
		body := make([]byte, rh.BodyLength)
		if _, err := io.ReadFull(conn, body); err != nil {
			return nil, err
		}
		if rh.Request || rh.Event || rh.ID != id {
			continue // a heartbeat, or not our answer
		}
		if rh.Status != dubbo.StatusOK {
			msg, err := dubbo.DecodeErrorBody(body)
			if err != nil {
				return nil, err
			}
			return nil, &dubbo.StatusError{Status: rh.Status, Message: msg}
		}
		return decodeMetadataResponse(body)
	}
}

// decodeMetadataResponse reads the OK response body of getMetadataInfo.
func decodeMetadataResponse(body []byte) (*MetadataInfo, error) {
	d := hessian2.NewDecoder(body)
	d.SetBudget(hessian2.DefaultBudgetFactor*len(body) + hessian2.DefaultBudgetBase)
	flag, err := dubbo.ReadResponseFlag(d)
	if err != nil {
		return nil, err
	}
	switch {
	case flag.IsException():
		v, err := d.DecodeValue()
		if err != nil {
			return nil, fmt.Errorf("an exception that cannot be read: %w", err)
		}
		if e, ok := v.(error); ok {
			return nil, e
		}
		return nil, fmt.Errorf("an exception: %v", v)
	case flag.IsNull():
		return nil, errors.New("no metadata for that revision (null)")
	}
	var m MetadataInfo
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(m.Services) > MaxParams {
		return nil, fmt.Errorf("%w: metadata with %d services, limit %d", ErrTooLarge, len(m.Services), MaxParams)
	}
	if flag.HasAttachments() {
		if _, err := dubbo.ReadAttachments(d); err != nil {
			return nil, fmt.Errorf("%w: attachments: %v", ErrMalformed, err)
		}
	}
	return &m, nil
}
