package registry

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Values this project writes where Dubbo-Java writes its own.
const (
	// DubboProtocolVersion is the "dubbo" parameter: the protocol version
	// Dubbo 2.7 and 3.x write.
	DubboProtocolVersion = "2.0.2"
	// Release is the "release" parameter, where Dubbo-Java writes its own
	// version (dubbo-go writes "dubbo-golang-..."). Consumers only show it.
	Release = "kitexdubbo-0.1"
	// Serialization is the only one the codec speaks. A Dubbo 3.2+ consumer
	// prefers fastjson2 unless the provider says otherwise.
	Serialization = "hessian2"
)

// Service is one Dubbo service as a provider exports it, or as a consumer
// refers to it: everything a registry entry says about it.
type Service struct {
	Interface   string   // Java interface, "org.example.GreetProvider"
	Group       string   // "" for none (then no group= is written)
	Version     string   // "" for none
	Application string   // the provider's or consumer's application name
	Methods     []string // Java method names
	Protocol    string   // "" for ProtocolDubbo
	Host        string   // the address callers dial (no brackets)
	Port        int
	Weight      int           // 0: not written (Dubbo's default, 100)
	Timeout     time.Duration // 0: not written
	Params      map[string]string
}

// Key is the service key Dubbo's registries and MetadataInfo use without the
// protocol: [group/]interface[:version] (URL.buildKey).
func (s *Service) Key() string { return ServiceKey(s.Interface, s.Group, s.Version) }

// ServiceKey is [group/]iface[:version], each part only when not empty.
func ServiceKey(iface, group, version string) string {
	k := iface
	if group != "" {
		k = group + "/" + k
	}
	if version != "" {
		k += ":" + version
	}
	return k
}

func (s *Service) protocol() string {
	if s.Protocol == "" {
		return ProtocolDubbo
	}
	return s.Protocol
}

// methods returns the sorted, comma-separated method list, "" for none.
func (s *Service) methods() string {
	m := slices.Clone(s.Methods)
	slices.Sort(m)
	return strings.Join(slices.Compact(m), ",")
}

// ProviderParams are the parameters of the provider URL, which MetadataInfo
// repeats for application-level discovery, less the timestamp: those
// ServiceConfig writes (after DefaultServiceURLCustomizer) and the serialization
// this codec speaks.
func (s *Service) ProviderParams() map[string]string {
	p := make(map[string]string, 16+len(s.Params))
	for k, v := range s.Params {
		p[k] = v
	}
	p[KeyInterface] = s.Interface
	p[KeySide] = "provider"
	p[KeyDubbo] = DubboProtocolVersion
	p[KeyRelease] = Release
	p["deprecated"] = "false"
	p["dynamic"] = "true"
	p["generic"] = "false"
	p[KeySerialization] = Serialization
	p[KeyPreferSerialization] = Serialization
	if s.Application != "" {
		p[KeyApplication] = s.Application
	}
	if m := s.methods(); m != "" {
		p[KeyMethods] = m
	}
	// Never an empty group= or version=: Java keeps "" as a value, which no
	// consumer without one matches.
	if s.Group != "" {
		p[KeyGroup] = s.Group
	}
	if s.Version != "" {
		p[KeyVersion] = s.Version
		p["revision"] = s.Version // Dubbo-Java writes the version here too
	}
	if s.Weight > 0 {
		p[KeyWeight] = strconv.Itoa(s.Weight)
	}
	if s.Timeout > 0 {
		p[KeyTimeout] = strconv.FormatInt(s.Timeout.Milliseconds(), 10)
	}
	return p
}

// ProviderURL is the URL a provider registers at interface level,
// timestamped now.
func (s *Service) ProviderURL(now time.Time) *URL {
	p := s.ProviderParams()
	p[KeyTimestamp] = strconv.FormatInt(now.UnixMilli(), 10)
	return &URL{Protocol: s.protocol(), Host: s.Host, Port: s.Port, Path: s.Interface, Params: p}
}

// ConsumerURL is the URL a consumer registers under consumers, and the one
// IsMatch compares providers with: consumer://host/iface?category=consumers&...
// Its protocol is "consumer", for which IsMatch does not compare protocols:
// a caller that speaks one checks the provider's itself.
func (s *Service) ConsumerURL(now time.Time) *URL {
	p := make(map[string]string, 12+len(s.Params))
	for k, v := range s.Params {
		p[k] = v
	}
	p[KeyInterface] = s.Interface
	p[KeySide] = "consumer"
	p[KeyCategory] = CategoryConsumers
	p["check"] = "false"
	p[KeyDubbo] = DubboProtocolVersion
	p[KeyRelease] = Release
	p[KeySerialization] = Serialization
	p[KeyTimestamp] = strconv.FormatInt(now.UnixMilli(), 10)
	if s.Application != "" {
		p[KeyApplication] = s.Application
	}
	if m := s.methods(); m != "" {
		p[KeyMethods] = m
	}
	if s.Group != "" {
		p[KeyGroup] = s.Group
	}
	if s.Version != "" {
		p[KeyVersion] = s.Version
	}
	return &URL{Protocol: "consumer", Host: s.Host, Path: s.Interface, Params: p}
}

// Subscription is the consumer URL IsMatch takes for providers of s: the
// consumer URL with the categories a Dubbo consumer subscribes to.
func (s *Service) Subscription() *URL {
	u := s.ConsumerURL(time.Time{})
	u.Params[KeyCategory] = CategoryProviders
	return u
}
