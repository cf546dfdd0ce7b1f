package registry

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
)

// Bounds on what is read from a registry. ZooKeeper itself allows a node name
// or value of up to 1 MiB; a provider URL is a few hundred bytes.
const (
	MaxURLLength  = 64 << 10 // bytes of one URL, encoded or not
	MaxParams     = 1024     // parameters of one URL
	MaxDataLength = 1 << 20  // bytes of one node's data (instance JSON, metadata, mapping)
)

// URL is Dubbo's URL (org.apache.dubbo.common.URL): what a provider or consumer
// registers at interface level, e.g.
//
//	dubbo://[::1]:20880/org.example.GreetProvider?application=greet&interface=org.example.GreetProvider&...
//
// Host is kept without the brackets of an IPv6 address. Params holds the
// query, each value as Dubbo-Java would read it with getParameter.
type URL struct {
	Protocol string
	Username string
	Password string
	Host     string
	Port     int
	Path     string
	Params   map[string]string
}

// Param returns a parameter and whether it is present. Present and empty is
// not absent: Dubbo-Java keeps "" as a value (see IsMatch).
func (u *URL) Param(key string) (string, bool) {
	v, ok := u.Params[key]
	return v, ok
}

// SetParam sets a parameter.
func (u *URL) SetParam(key, value string) {
	if u.Params == nil {
		u.Params = make(map[string]string)
	}
	u.Params[key] = value
}

// Interface is the service interface: the "interface" parameter, else the
// path (URL.getServiceInterface).
func (u *URL) Interface() string {
	if v, ok := u.Params[KeyInterface]; ok {
		return v
	}
	return u.Path
}

// Address is host:port as net.Dial takes it ("[::1]:20880").
func (u *URL) Address() string {
	return net.JoinHostPort(u.Host, strconv.Itoa(u.Port))
}

// String is the URL as Dubbo-Java's URL.toFullString writes it: parameters in
// key order, values as they are. Values Java could not read back are
// escaped: a '&' or ';' (Java's separators) as %26 and %3B, and so a '%' as
// %25, which Java reads as Dubbo's own encoded parameters
// (URL.getParameterAndDecoded) and ParseURL reads back as the original; keys
// also escape '='. An empty key is left out, as Java leaves it out.
func (u *URL) String() string {
	var b strings.Builder
	if u.Protocol != "" {
		b.WriteString(u.Protocol)
		b.WriteString("://")
	}
	if u.Username != "" {
		b.WriteString(u.Username)
		if u.Password != "" {
			b.WriteByte(':')
			b.WriteString(u.Password)
		}
		b.WriteByte('@')
	}
	if u.Host != "" {
		if strings.Contains(u.Host, ":") && !strings.HasPrefix(u.Host, "[") {
			// Dubbo 3.3 brackets IPv6 hosts; 2.7 did not, which only parses
			// because Java splits host and port at the last colon.
			b.WriteByte('[')
			b.WriteString(u.Host)
			b.WriteByte(']')
		} else {
			b.WriteString(u.Host)
		}
		if u.Port > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(u.Port))
		}
	}
	if u.Path != "" {
		b.WriteByte('/')
		b.WriteString(u.Path)
	}
	keys := make([]string, 0, len(u.Params))
	for k := range u.Params {
		if k != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(escapeParam(k, true))
		b.WriteByte('=')
		b.WriteString(escapeParam(u.Params[k], false))
	}
	return b.String()
}

// Encoded is the URL as a ZooKeeper node name: URL.encode(url.toFullString()).
func (u *URL) Encoded() string { return Encode(u.String()) }

func escapeParam(s string, key bool) string {
	if !strings.ContainsAny(s, "%&;=") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '%':
			b.WriteString("%25")
		case c == '&':
			b.WriteString("%26")
		case c == ';':
			b.WriteString("%3B")
		case c == '=' && key:
			b.WriteString("%3D")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// unescapeParam undoes escapeParam: only %25, %26, %3B and %3D are read, any
// other '%' stays, as Java's getParameter would show it.
func unescapeParam(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			switch strings.ToUpper(s[i+1 : i+3]) {
			case "25":
				b.WriteByte('%')
				i += 2
				continue
			case "26":
				b.WriteByte('&')
				i += 2
				continue
			case "3B":
				b.WriteByte(';')
				i += 2
				continue
			case "3D":
				b.WriteByte('=')
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ParseEncodedURL reads a URL from its encoded form, a ZooKeeper providers or
// consumers node name, as URLStrParser.parseEncodedStr does.
func ParseEncodedURL(s string) (*URL, error) {
	if len(s) > MaxURLLength {
		return nil, fmt.Errorf("%w: an encoded URL of %d bytes, limit %d", ErrTooLarge, len(s), MaxURLLength)
	}
	d, err := Decode(s)
	if err != nil {
		return nil, fmt.Errorf("registry: URL %q: %w", clip(s), err)
	}
	return ParseURL(d)
}

// ParseURL reads a decoded URL (URL.valueOf, URLStrParser.parseDecodedStr):
// [protocol://][user[:password]@][host[:port]][/path][?k=v&k=v]. Both IPv6
// host forms are read: "[::1]:20880" (Dubbo 3.3) and "::1:20880" (2.7, where
// the port is what follows the last colon).
func ParseURL(s string) (*URL, error) {
	if len(s) > MaxURLLength {
		return nil, fmt.Errorf("%w: a URL of %d bytes, limit %d", ErrTooLarge, len(s), MaxURLLength)
	}
	u := &URL{}
	body := s
	if i := strings.IndexByte(s, '?'); i >= 0 {
		body = s[:i]
		params, err := parseParams(s[i+1:])
		if err != nil {
			return nil, fmt.Errorf("registry: URL %q: %w", clip(s), err)
		}
		u.Params = params
	}
	if i := strings.IndexByte(body, '#'); i >= 0 {
		body = body[:i]
	}
	rest := body
	if i := strings.Index(rest, "://"); i >= 0 {
		if i == 0 {
			return nil, fmt.Errorf("registry: URL %q: %w: no protocol", clip(s), ErrMalformed)
		}
		u.Protocol, rest = rest[:i], rest[i+3:]
	} else if i := strings.Index(rest, ":/"); i >= 0 {
		if i == 0 {
			return nil, fmt.Errorf("registry: URL %q: %w: no protocol", clip(s), ErrMalformed)
		}
		u.Protocol, rest = rest[:i], rest[i+1:]
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		u.Path, rest = rest[i+1:], rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i > 0 {
		u.Username, u.Password, _ = strings.Cut(rest[:i], ":")
		rest = rest[i+1:]
	}
	if i := strings.LastIndexByte(rest, ':'); i > 0 && i < len(rest)-1 && strings.LastIndexByte(rest, '%') < i &&
		!(strings.HasPrefix(rest, "[") && !strings.HasSuffix(rest[:i], "]")) {
		port, err := strconv.Atoi(rest[i+1:])
		if err != nil || port < 0 || port > 65535 {
			return nil, fmt.Errorf("registry: URL %q: %w: bad port %q", clip(s), ErrMalformed, clip(rest[i+1:]))
		}
		u.Port, rest = port, rest[:i]
	}
	if strings.HasPrefix(rest, "[") && strings.HasSuffix(rest, "]") {
		rest = rest[1 : len(rest)-1]
	}
	u.Host = rest
	if strings.ContainsAny(u.Host, "[]@") || (u.Host == "" && u.Port > 0) {
		// Brackets only enclose an IPv6 host, an @ ends the user part, and a
		// port needs a host: none could be written so that it reads back.
		return nil, fmt.Errorf("registry: URL %q: %w: bad host %q", clip(s), ErrMalformed, clip(u.Host))
	}
	return u, nil
}

// parseParams reads k=v pairs split at '&' and ';'. A pair's name ends at its
// first '='; a pair without '=' is a key with an empty value, as in Java; a
// pair with an empty name is dropped.
func parseParams(q string) (map[string]string, error) {
	m := make(map[string]string)
	for q != "" {
		var pair string
		if i := strings.IndexAny(q, "&;"); i >= 0 {
			pair, q = q[:i], q[i+1:]
		} else {
			pair, q = q, ""
		}
		pair = strings.TrimLeft(pair, "=")
		if pair == "" {
			continue
		}
		if len(m) == MaxParams {
			return nil, fmt.Errorf("%w: more than %d parameters", ErrTooLarge, MaxParams)
		}
		k, v, _ := strings.Cut(pair, "=")
		k = unescapeParam(k)
		m[k] = unescapeParam(v)
		// Dubbo 2.x registered some keys as "default.<key>"; Java reads them
		// as <key> too when <key> itself is absent.
		if short, ok := strings.CutPrefix(k, "default."); ok {
			if _, has := m[short]; !has {
				m[short] = m[k]
			}
		}
	}
	return m, nil
}
