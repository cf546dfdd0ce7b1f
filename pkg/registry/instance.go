package registry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Instance metadata keys Dubbo 3 writes (ServiceInstanceMetadataUtils).
const (
	MetaRevision       = "dubbo.metadata.revision"
	MetaStorageType    = "dubbo.metadata.storage-type"
	MetaServiceParams  = "dubbo.metadata-service.url-params"
	MetaEndpoints      = "dubbo.endpoints"
	MetaVersion        = "meta-v"
	MetaTimestamp      = "timestamp"
	StorageLocal       = "local"  // metadata served by the instance's MetadataService
	StorageRemote      = "remote" // metadata in the metadata report
	MetadataVersionV1  = "1.0.0"  // MetadataService over Dubbo; 2.0.0 would mean Triple (MetadataServiceV2)
	zookeeperInstance  = "org.apache.dubbo.registry.zookeeper.ZookeeperInstance"
	serviceTypeDynamic = "DYNAMIC"
)

// Instance is Curator's ServiceInstance<ZookeeperInstance> as Dubbo 3 writes
// it under /services/<app>/<host>:<port>: one application instance.
type Instance struct {
	Name                string           `json:"name"`
	ID                  string           `json:"id"`
	Address             string           `json:"address"`
	Port                *int             `json:"port"`
	SSLPort             *int             `json:"sslPort"`
	Payload             *InstancePayload `json:"payload"`
	RegistrationTimeUTC int64            `json:"registrationTimeUTC"`
	ServiceType         string           `json:"serviceType"`
	URISpec             json.RawMessage  `json:"uriSpec"`
}

// InstancePayload is org.apache.dubbo.registry.zookeeper.ZookeeperInstance.
// Curator reads the payload by its "@class", which must be there.
type InstancePayload struct {
	Class    string            `json:"@class"`
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Metadata map[string]string `json:"metadata"`
}

// Endpoint is one entry of dubbo.endpoints: a protocol and the port it is on.
type Endpoint struct {
	Port     int    `json:"port"`
	Protocol string `json:"protocol"`
}

// InstanceID is host:port as Dubbo 3.3 names an instance: IPv6 in brackets.
func InstanceID(host string, port int) string { return net.JoinHostPort(host, strconv.Itoa(port)) }

// bracketHost is how Dubbo 3.3 writes an instance's address: an IPv6 host in brackets.
func bracketHost(host string) string {
	if strings.Contains(host, ":") && !strings.HasPrefix(host, "[") {
		return "[" + host + "]"
	}
	return host
}

// NewInstance is the instance node of app at host:port, whose metadata (of
// that revision) its MetadataService serves on the same port, over Dubbo.
func NewInstance(app, host string, port int, revision string, now time.Time) *Instance {
	id := InstanceID(host, port)
	params, _ := marshalJSON(map[string]string{
		KeyVersion:             MetadataVersionV1,
		KeyDubbo:               DubboProtocolVersion,
		KeyRelease:             Release,
		KeySide:                "provider",
		KeyPort:                strconv.Itoa(port),
		KeyProtocol:            ProtocolDubbo,
		KeySerialization:       Serialization,
		KeyPreferSerialization: Serialization,
	})
	endpoints, _ := marshalJSON([]Endpoint{{Port: port, Protocol: ProtocolDubbo}})
	p := port
	return &Instance{
		Name:    app,
		ID:      id,
		Address: bracketHost(host),
		Port:    &p,
		Payload: &InstancePayload{
			Class: zookeeperInstance,
			ID:    id,
			Name:  app,
			Metadata: map[string]string{
				MetaEndpoints:     string(endpoints),
				MetaServiceParams: string(params),
				MetaRevision:      revision,
				MetaStorageType:   StorageLocal,
				MetaVersion:       MetadataVersionV1,
				MetaTimestamp:     strconv.FormatInt(now.UnixMilli(), 10),
			},
		},
		RegistrationTimeUTC: now.UnixMilli(),
		ServiceType:         serviceTypeDynamic,
		URISpec:             json.RawMessage("null"),
	}
}

// JSON is the node's data, as Curator's JsonInstanceSerializer writes it.
func (in *Instance) JSON() ([]byte, error) { return marshalJSON(in) }

// ParseInstance reads an instance node's data. It checks what a consumer
// needs: a name, an address, a port in range, and metadata.
func ParseInstance(data []byte) (*Instance, error) {
	if len(data) > MaxDataLength {
		return nil, fmt.Errorf("%w: an instance of %d bytes, limit %d", ErrTooLarge, len(data), MaxDataLength)
	}
	var in Instance
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, fmt.Errorf("registry: instance JSON: %w: %v", ErrMalformed, err)
	}
	switch {
	case in.Address == "":
		return nil, fmt.Errorf("registry: instance %q: %w: no address", clip(in.ID), ErrMalformed)
	case in.Port == nil || *in.Port <= 0 || *in.Port > 65535:
		return nil, fmt.Errorf("registry: instance %q: %w: no port, or out of range", clip(in.ID), ErrMalformed)
	case in.Payload == nil:
		return nil, fmt.Errorf("registry: instance %q: %w: no payload", clip(in.ID), ErrMalformed)
	case len(in.Payload.Metadata) > MaxParams:
		return nil, fmt.Errorf("%w: instance %q has %d metadata entries, limit %d", ErrTooLarge, clip(in.ID), len(in.Payload.Metadata), MaxParams)
	}
	return &in, nil
}

// Host is the address without IPv6 brackets.
func (in *Instance) Host() string {
	return strings.TrimSuffix(strings.TrimPrefix(in.Address, "["), "]")
}

// Meta returns one metadata entry, "" when absent.
func (in *Instance) Meta(key string) string {
	if in.Payload == nil {
		return ""
	}
	return in.Payload.Metadata[key]
}

// Revision is the instance's metadata revision.
func (in *Instance) Revision() string { return in.Meta(MetaRevision) }

// StorageType is local (the default) or remote.
func (in *Instance) StorageType() string {
	if t := in.Meta(MetaStorageType); t != "" {
		return t
	}
	return StorageLocal
}

// Endpoints reads dubbo.endpoints; a missing entry is no endpoints.
func (in *Instance) Endpoints() ([]Endpoint, error) {
	s := in.Meta(MetaEndpoints)
	if s == "" {
		return nil, nil
	}
	var eps []Endpoint
	if err := json.Unmarshal([]byte(s), &eps); err != nil {
		return nil, fmt.Errorf("registry: instance %q: %s: %w: %v", clip(in.ID), MetaEndpoints, ErrMalformed, err)
	}
	return eps, nil
}

// ServiceParams reads dubbo.metadata-service.url-params, the parameters of
// the instance's MetadataService URL (version, port, protocol, ...).
func (in *Instance) ServiceParams() (map[string]string, error) {
	s := in.Meta(MetaServiceParams)
	if s == "" {
		return map[string]string{}, nil
	}
	var p map[string]string
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		return nil, fmt.Errorf("registry: instance %q: %s: %w: %v", clip(in.ID), MetaServiceParams, ErrMalformed, err)
	}
	return p, nil
}

// marshalJSON writes JSON as Java's libraries do: '<', '>' and '&' as they are.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// ParseMapping reads a /dubbo/mapping/<iface> node: comma-separated
// application names, blanks and repeats dropped.
func ParseMapping(data []byte) ([]string, error) {
	if len(data) > MaxDataLength {
		return nil, fmt.Errorf("%w: a mapping of %d bytes, limit %d", ErrTooLarge, len(data), MaxDataLength)
	}
	var apps []string
	for _, a := range strings.Split(string(data), ",") {
		if a = strings.TrimSpace(a); a != "" && !containsString(apps, a) {
			if len(apps) == MaxParams {
				return nil, fmt.Errorf("%w: a mapping of more than %d applications", ErrTooLarge, MaxParams)
			}
			apps = append(apps, a)
		}
	}
	return apps, nil
}

// AddToMapping returns the mapping content with app added (at the end, as
// Dubbo-Java appends), and false when it was there already.
func AddToMapping(data []byte, app string) ([]byte, bool) {
	apps, _ := ParseMapping(data)
	if containsString(apps, app) {
		return data, false
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return []byte(app), true
	}
	return []byte(string(data) + "," + app), true
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
