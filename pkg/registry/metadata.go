package registry

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// Java classes of application-level metadata.
const (
	MetadataInfoClass = "org.apache.dubbo.metadata.MetadataInfo"
	ServiceInfoClass  = "org.apache.dubbo.metadata.MetadataInfo$ServiceInfo"
)

// EmptyRevision is the revision Dubbo-Java gives metadata with no services. A
// consumer takes it for "nothing here", so a provider never advertises it.
const EmptyRevision = "0"

// MetadataInfo is org.apache.dubbo.metadata.MetadataInfo as it travels: the
// services one application instance exports, keyed by MatchKey. Dubbo 3
// consumers that discover by application read it from the provider's
// MetadataService (or a metadata report) to learn each instance's services.
// Its other Java fields are transient.
type MetadataInfo struct {
	App      string                  `hessian:"app" json:"app"`
	Revision string                  `hessian:"revision" json:"revision"`
	Services map[string]*ServiceInfo `hessian:"services" json:"services"`
}

// JavaClassName implements hessian2.JavaClassNamer.
func (*MetadataInfo) JavaClassName() string { return MetadataInfoClass }

// ServiceInfo is MetadataInfo$ServiceInfo: one exported service.
type ServiceInfo struct {
	Name     string            `hessian:"name" json:"name"` // the interface
	Group    string            `hessian:"group" json:"group,omitempty"`
	Version  string            `hessian:"version" json:"version,omitempty"`
	Protocol string            `hessian:"protocol" json:"protocol"`
	Port     int32             `hessian:"port" json:"port"`
	Path     string            `hessian:"path" json:"path"`
	Params   map[string]string `hessian:"params" json:"params"`
}

// JavaClassName implements hessian2.JavaClassNamer.
func (*ServiceInfo) JavaClassName() string { return ServiceInfoClass }

func init() { hessian2.Register(&MetadataInfo{}, &ServiceInfo{}) }

var serviceInfoFields = []string{"name", "group", "version", "protocol", "port", "path", "params"}

// MarshalHessian2 writes an empty group or version as null, as Java holds
// them: Java compares service keys with Objects.equals, where "" is not null.
func (s *ServiceInfo) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(ServiceInfoClass, serviceInfoFields)
	e.WriteString(s.Name)
	writeNullable(e, s.Group)
	writeNullable(e, s.Version)
	e.WriteString(s.Protocol)
	e.WriteInt32(s.Port)
	e.WriteString(s.Path)
	params := s.Params
	if params == nil {
		params = map[string]string{}
	}
	return e.Encode(params)
}

func writeNullable(e *hessian2.Encoder, s string) {
	if s == "" {
		e.WriteNull()
		return
	}
	e.WriteString(s)
}

// ServiceKey is [group/]name[:version].
func (s *ServiceInfo) ServiceKey() string { return ServiceKey(s.Name, s.Group, s.Version) }

// MatchKey is the key of s in MetadataInfo.Services: [group/]name[:version]:protocol.
func (s *ServiceInfo) MatchKey() string {
	if s.Protocol == "" {
		return s.ServiceKey()
	}
	return s.ServiceKey() + ":" + s.Protocol
}

// NewServiceInfo is the metadata entry of a provider's service.
func NewServiceInfo(s *Service) *ServiceInfo {
	return &ServiceInfo{
		Name:     s.Interface,
		Group:    s.Group,
		Version:  s.Version,
		Protocol: s.protocol(),
		Port:     int32(s.Port),
		Path:     s.Interface,
		Params:   s.ProviderParams(),
	}
}

// NewMetadataInfo is the metadata of app's services, with its revision.
func NewMetadataInfo(app string, services ...*ServiceInfo) *MetadataInfo {
	m := &MetadataInfo{App: app, Services: make(map[string]*ServiceInfo, len(services))}
	for _, s := range services {
		m.Services[s.MatchKey()] = s
	}
	m.Revision = m.CalRevision()
	return m
}

// CalRevision is the revision Dubbo-Java computes (MetadataInfo.calAndGetRevision):
// the lower-case hex MD5 of the app name followed by, for each service in key
// order, its match key, port, path and its parameters as Java's TreeMap
// prints them ("{k1=v1, k2=v2}"). A consumer caches metadata by revision, so
// equal content gives the same revision and changed content another.
func (m *MetadataInfo) CalRevision() string {
	if len(m.Services) == 0 {
		return EmptyRevision
	}
	var b strings.Builder
	b.WriteString(m.App)
	keys := make([]string, 0, len(m.Services))
	for k := range m.Services {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		s := m.Services[k]
		if s == nil {
			b.WriteString("null")
			continue
		}
		b.WriteString(s.MatchKey())
		b.WriteString(strconv.Itoa(int(s.Port)))
		b.WriteString(s.Path)
		writeTreeMap(&b, s.Params)
	}
	sum := md5.Sum([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

func writeTreeMap(b *strings.Builder, m map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(m[k])
	}
	b.WriteByte('}')
}

// Find returns the service a consumer of iface, group and version over
// protocol would pick: its match key, else, as Dubbo-Java falls back to, a
// service of that key over any protocol. Group and version are compared
// exactly (empty is none).
func (m *MetadataInfo) Find(iface, group, version, protocol string) *ServiceInfo {
	key := ServiceKey(iface, group, version)
	if s := m.Services[key+":"+protocol]; s != nil {
		return s
	}
	for _, s := range m.Services {
		if s != nil && s.ServiceKey() == key && (s.Protocol == "" || s.Protocol == protocol) {
			return s
		}
	}
	return nil
}

// ParseMetadataJSON reads MetadataInfo as a metadata report holds it
// (/dubbo/metadata/<app>/<revision> with metadata-type=remote).
func ParseMetadataJSON(data []byte) (*MetadataInfo, error) {
	if len(data) > MaxDataLength {
		return nil, fmt.Errorf("%w: metadata of %d bytes, limit %d", ErrTooLarge, len(data), MaxDataLength)
	}
	var m MetadataInfo
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("registry: metadata JSON: %w: %v", ErrMalformed, err)
	}
	if len(m.Services) > MaxParams {
		return nil, fmt.Errorf("%w: metadata with %d services, limit %d", ErrTooLarge, len(m.Services), MaxParams)
	}
	return &m, nil
}

// JSON is m as a metadata report holds it.
func (m *MetadataInfo) JSON() ([]byte, error) { return marshalJSON(m) }
