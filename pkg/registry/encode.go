package registry

import (
	"errors"
	"fmt"
	"strings"
)

// Encode is Java's URLEncoder.encode(s, "UTF-8"), which Dubbo-Java's
// URL.encode is: letters, digits and ".-*_" stay, a space becomes '+', every
// other byte of the UTF-8 form becomes %XX with upper-case hex. It differs
// from Go's url.QueryEscape in '*' (kept) and '~' (escaped), which is enough
// to make a ZooKeeper node name that Java would not write.
func Encode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !keepByte(s[i]) && s[i] != ' ' {
			n++
		}
	}
	if n == 0 && !strings.Contains(s, " ") {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case keepByte(c):
			b = append(b, c)
		case c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}

func keepByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '.' || c == '-' || c == '*' || c == '_'
}

// ErrMalformed is matched (errors.Is) by every error about registry data that
// cannot be read: a bad escape, a bad port, JSON that is not an instance.
var ErrMalformed = errors.New("malformed registry data")

// ErrTooLarge is matched by errors about registry data past this package's
// bounds (MaxURLLength, MaxParams, MaxDataLength).
var ErrTooLarge = errors.New("registry data too large")

// Decode is Java's URLDecoder.decode(s, "UTF-8"): '+' is a space and %XX a
// byte (either case of hex). A '%' without two hex digits after it is an
// error, as Java throws IllegalArgumentException for it.
func Decode(s string) (string, error) {
	if !strings.ContainsAny(s, "%+") {
		return s, nil
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b = append(b, ' ')
		case '%':
			if i+2 >= len(s) || unhex(s[i+1]) < 0 || unhex(s[i+2]) < 0 {
				return "", fmt.Errorf("%w: bad escape at offset %d of %q", ErrMalformed, i, clip(s))
			}
			b = append(b, byte(unhex(s[i+1])<<4|unhex(s[i+2])))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b), nil
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// clip shortens hostile input quoted in an error message.
func clip(s string) string {
	const max = 120
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
