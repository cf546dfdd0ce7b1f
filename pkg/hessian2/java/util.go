package java

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// java.util, java.lang and java.util.concurrent.atomic types, as hessian-lite
// writes them.
const (
	classUUID          = "java.util.UUID"
	classCurrency      = "java.util.Currency"
	classClass         = "java.lang.Class"
	classAtomicLong    = "java.util.concurrent.atomic.AtomicLong"
	classAtomicInteger = "java.util.concurrent.atomic.AtomicInteger"
	localeHandle       = "com.alibaba.com.caucho.hessian.io.LocaleHandle"
	calendarHandle     = "com.alibaba.com.caucho.hessian.io.CalendarHandle"
	enumSetHandler     = "com.alibaba.com.caucho.hessian.io.EnumSetHandler"
	bitSetHandle       = "com.alibaba.com.caucho.hessian.io.BitSetHandle"
)

var (
	valueFields    = []string{"value"}
	currencyFields = []string{"currencyCode"}
	nameFields     = []string{"name"}
	calendarFields = []string{"date", "type"}
	enumSetFields  = []string{"objects", "type"}
	bitSetFields   = []string{"words"}
)

// UUID is java.util.UUID, written as Java's StringValueSerializer writes it:
// an object with one field, value, the canonical string.
type UUID [16]byte

// ParseUUID reads a UUID as Java's UUID.fromString does: five groups of hex
// digits separated by dashes, the canonical 8-4-4-4-12 and shorter groups alike.
func ParseUUID(s string) (UUID, error) {
	var u UUID
	if len(s) > 36 {
		return u, fmt.Errorf("invalid UUID string: %q", s)
	}
	var n [5]uint64
	rest := s
	for i := range n {
		part, tail, found := strings.Cut(rest, "-")
		if found != (i < 4) {
			return u, fmt.Errorf("invalid UUID string: %q", s)
		}
		v, err := strconv.ParseInt(part, 16, 64)
		if err != nil {
			return u, fmt.Errorf("invalid UUID string: %q", s)
		}
		n[i], rest = uint64(v), tail
	}
	most := (n[0]&0xffffffff)<<32 | (n[1]&0xffff)<<16 | n[2]&0xffff
	least := (n[3]&0xffff)<<48 | n[4]&0xffffffffffff
	return uuidOf(most, least), nil
}

func uuidOf(most, least uint64) UUID {
	var u UUID
	for i := range 8 {
		u[i] = byte(most >> (56 - 8*i))
		u[8+i] = byte(least >> (56 - 8*i))
	}
	return u
}

// String is the canonical form, as Java's toString writes it.
func (u UUID) String() string {
	const hex = "0123456789abcdef"
	b := make([]byte, 0, 36)
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hex[c>>4], hex[c&0xf])
	}
	return string(b)
}

func (*UUID) JavaClassName() string { return classUUID }

func (u *UUID) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(classUUID, valueFields)
	e.WriteString(u.String())
	return nil
}

// UnmarshalHessian2 reads the string form, or the two longs Java's field
// serializer would write (mostSigBits, leastSigBits).
func (u *UUID) UnmarshalHessian2(d *hessian2.Decoder) error {
	*u = UUID{}
	var most, least int64
	bitsSeen := false
	err := readHandle(d, u, classUUID, func(field string) (err error) {
		switch field {
		case "value":
			var s string
			if s, err = d.ReadString(); err != nil {
				return err
			}
			if *u, err = ParseUUID(s); err != nil {
				return d.Errorf(hessian2.ErrType, "%v", err)
			}
		case "mostSigBits":
			most, err = d.ReadInt64()
			bitsSeen = true
		case "leastSigBits":
			least, err = d.ReadInt64()
			bitsSeen = true
		default:
			err = d.Skip()
		}
		return err
	}, classUUID)
	if err == nil && bitsSeen {
		*u = uuidOf(uint64(most), uint64(least))
	}
	return err
}

// Locale is java.util.Locale: what hessian-lite carries of it, Java's
// toString form ("en_US"), which its reader splits into language, country and
// variant. A script or extensions ("zh_CN_#Hans") are dropped on the way, Java
// to Java too.
type Locale struct {
	Language, Country, Variant string
}

// ParseLocale reads Java's Locale.toString form as hessian-lite does:
// language_country_variant, anything from "_#" on dropped, the language in
// lower case and the country in upper case, as Java's constructor keeps them.
func ParseLocale(s string) Locale {
	if i := strings.Index(s, "_#"); i >= 0 {
		s = s[:i]
	}
	lang, rest, _ := strings.Cut(s, "_")
	country, variant, _ := strings.Cut(rest, "_")
	return Locale{Language: strings.ToLower(lang), Country: strings.ToUpper(country), Variant: variant}
}

// String is Java's Locale.toString: en, en_US, en_US_POSIX, de__POSIX.
func (l *Locale) String() string {
	s := l.Language
	if l.Country != "" || l.Variant != "" {
		s += "_" + l.Country
	}
	if l.Variant != "" {
		s += "_" + l.Variant
	}
	return s
}

// LanguageTag is the BCP 47 form (en-US), as Java's toLanguageTag gives it
// for a locale of a language, a country and a well-formed variant.
func (l *Locale) LanguageTag() string {
	var parts []string
	for _, p := range []string{l.Language, l.Country, l.Variant} {
		if p != "" {
			parts = append(parts, strings.ReplaceAll(p, "_", "-"))
		}
	}
	if len(parts) == 0 {
		return "und"
	}
	return strings.Join(parts, "-")
}

func (*Locale) JavaClassName() string { return "java.util.Locale" }

func (l *Locale) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(localeHandle, valueFields)
	e.WriteString(l.String())
	return nil
}

func (l *Locale) UnmarshalHessian2(d *hessian2.Decoder) error {
	*l = Locale{}
	return readHandle(d, l, "java.util.Locale", func(field string) error {
		if field != "value" {
			return d.Skip()
		}
		s, err := d.ReadString()
		if err != nil {
			return err
		}
		if err := d.Charge(len(s)); err != nil { // the case-folded copies
			return err
		}
		*l = ParseLocale(s)
		return nil
	}, localeHandle)
}

// Currency is java.util.Currency: its ISO 4217 code (Java refuses codes it
// does not know).
type Currency struct {
	Code string
}

func (*Currency) JavaClassName() string { return classCurrency }

func (c *Currency) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(classCurrency, currencyFields)
	e.WriteString(c.Code)
	return nil
}

func (c *Currency) UnmarshalHessian2(d *hessian2.Decoder) error {
	*c = Currency{}
	return readHandle(d, c, classCurrency, func(field string) (err error) {
		if field != "currencyCode" {
			return d.Skip()
		}
		c.Code, err = d.ReadString()
		return err
	}, classCurrency)
}

// Class is java.lang.Class, written by its name.
type Class struct {
	Name string
}

func (*Class) JavaClassName() string { return classClass }

func (c *Class) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(classClass, nameFields)
	e.WriteString(c.Name)
	return nil
}

func (c *Class) UnmarshalHessian2(d *hessian2.Decoder) error {
	*c = Class{}
	return readHandle(d, c, classClass, func(field string) (err error) {
		if field != "name" {
			return d.Skip()
		}
		c.Name, err = d.ReadString()
		return err
	}, classClass)
}

// readClassName reads a java.lang.Class value (null: "").
func readClassName(d *hessian2.Decoder) (string, error) {
	if d.IsNull() {
		return "", nil
	}
	var c Class
	if err := d.Decode(&c); err != nil {
		return "", err
	}
	return c.Name, nil
}

// Calendar is java.util.Calendar, as hessian-lite's CalendarHandle carries
// it: the instant, and the Calendar class when it is not
// java.util.GregorianCalendar. The time zone is not carried (Java gives the
// value read its default zone), so Time reads in Go's local zone, as a
// java.Date does.
type Calendar struct {
	time.Time
	Class string // "" for java.util.GregorianCalendar
}

func (*Calendar) JavaClassName() string { return "java.util.Calendar" }

func (c *Calendar) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(calendarHandle, calendarFields)
	e.WriteTime(c.Time)
	if c.Class == "" || c.Class == "java.util.GregorianCalendar" {
		e.WriteNull()
		return nil
	}
	return (&Class{c.Class}).MarshalHessian2(e)
}

func (c *Calendar) UnmarshalHessian2(d *hessian2.Decoder) error {
	*c = Calendar{}
	return readHandle(d, c, "java.util.Calendar", func(field string) (err error) {
		switch field {
		case "date":
			if !d.IsNull() {
				var t time.Time
				err = d.Decode(&t)
				c.Time = t
			}
		case "type":
			c.Class, err = readClassName(d)
		default:
			err = d.Skip()
		}
		return err
	}, calendarHandle)
}

// EnumSet is java.util.EnumSet: the Java enum class of its elements (an
// empty EnumSet needs it too) and the elements' constant names, in the enum's
// order as Java sends them. EnumSetOf and EnumValues convert from and to a
// generated enum type.
type EnumSet struct {
	Enum  string // the enum's Java class
	Names []string
}

// EnumSetOf returns an EnumSet of constants of an enum type kitexdubbo-gen
// generated from an IDL enum with a JavaClassName.
func EnumSetOf[E interface {
	JavaClassName() string
	String() string
}](values ...E) *EnumSet {
	var zero E
	s := &EnumSet{Enum: zero.JavaClassName(), Names: make([]string, len(values))}
	for i, v := range values {
		s.Names[i] = v.String()
	}
	return s
}

// EnumValues returns the set's constants as values of a generated enum type.
func EnumValues[E any, P interface {
	*E
	FromJavaEnumName(string) error
}](s *EnumSet) ([]E, error) {
	out := make([]E, len(s.Names))
	for i, n := range s.Names {
		if err := P(&out[i]).FromJavaEnumName(n); err != nil {
			return nil, fmt.Errorf("java.util.EnumSet of %s: %q: %w", s.Enum, n, err)
		}
	}
	return out, nil
}

func (*EnumSet) JavaClassName() string { return "java.util.EnumSet" }

func (s *EnumSet) MarshalHessian2(e *hessian2.Encoder) error {
	if s.Enum == "" {
		return &hessian2.EncodeError{Type: "java.util.EnumSet", Err: fmt.Errorf("%w: an EnumSet needs its enum class (EnumSet.Enum): Java cannot make one without", hessian2.ErrType)}
	}
	e.WriteObjectStart(enumSetHandler, enumSetFields)
	e.WriteListStart("[object", len(s.Names))
	for _, n := range s.Names {
		e.WriteObjectStart(s.Enum, nameFields)
		e.WriteString(n)
	}
	return (&Class{s.Enum}).MarshalHessian2(e)
}

// UnmarshalHessian2 refuses an EnumSet without its enum class, as Java
// does (EnumSet.noneOf needs it).
func (s *EnumSet) UnmarshalHessian2(d *hessian2.Decoder) error {
	*s = EnumSet{}
	err := readHandle(d, s, "java.util.EnumSet", func(field string) (err error) {
		switch field {
		case "objects":
			err = s.readNames(d)
		case "type":
			s.Enum, err = readClassName(d)
		default:
			err = d.Skip()
		}
		return err
	}, enumSetHandler)
	if err == nil && s.Enum == "" {
		err = hessian2.WrapField(d.Errorf(hessian2.ErrType, "an EnumSet without its enum class (type)"), "type", "java.util.EnumSet")
	}
	return err
}

// readNames reads the elements: Java enum constants, each an object with a
// name field, which decode as the Go enum registered for the class or as a
// JavaObject; a constant met again in the stream is a reference.
func (s *EnumSet) readNames(d *hessian2.Decoder) error {
	v, err := d.DecodeValue()
	if err != nil {
		return err
	}
	var elems []any
	switch l := v.(type) {
	case nil:
		return nil
	case *hessian2.JavaList:
		elems = l.Values
	case []any:
		elems = l
	default:
		return d.Errorf(hessian2.ErrType, "%T where the list of an EnumSet's constants was expected", v)
	}
	if err := d.Charge(16 * len(elems)); err != nil {
		return err
	}
	s.Names = make([]string, 0, len(elems))
	for i, el := range elems {
		var name string
		switch x := el.(type) {
		case *hessian2.JavaObject:
			name, _ = x.Field("name").(string)
		case string:
			name = x
		case interface {
			JavaClassName() string
			String() string
		}:
			name = x.String()
		default:
			return hessian2.WrapField(d.Errorf(hessian2.ErrType, "%T is not a Java enum constant", el), fmt.Sprintf("objects[%d]", i), "java.util.EnumSet")
		}
		s.Names = append(s.Names, name)
	}
	return nil
}

// BitSet is java.util.BitSet: its words as Java's toLongArray gives them,
// bit i in Words[i/64] at 1<<(i%64), with no trailing zero words.
type BitSet struct {
	Words []uint64
}

// Test reports whether bit i is set.
func (b *BitSet) Test(i int) bool {
	return i >= 0 && i/64 < len(b.Words) && b.Words[i/64]&(1<<(i%64)) != 0
}

// Set sets bit i.
func (b *BitSet) Set(i int) {
	for len(b.Words) <= i/64 {
		b.Words = append(b.Words, 0)
	}
	b.Words[i/64] |= 1 << (i % 64)
}

// Clear clears bit i.
func (b *BitSet) Clear(i int) {
	if i < 0 || i/64 >= len(b.Words) {
		return
	}
	b.Words[i/64] &^= 1 << (i % 64)
	b.Words = trimWords(b.Words)
}

// Len is Java's length(): the index of the highest set bit plus one.
func (b *BitSet) Len() int {
	w := trimWords(b.Words)
	if len(w) == 0 {
		return 0
	}
	return 64*(len(w)-1) + bits.Len64(w[len(w)-1])
}

func trimWords(w []uint64) []uint64 {
	for len(w) > 0 && w[len(w)-1] == 0 {
		w = w[:len(w)-1]
	}
	return w
}

func (*BitSet) JavaClassName() string { return "java.util.BitSet" }

func (b *BitSet) MarshalHessian2(e *hessian2.Encoder) error {
	w := trimWords(b.Words)
	e.WriteObjectStart(bitSetHandle, bitSetFields)
	e.WriteListStart("[long", len(w))
	for _, x := range w {
		e.WriteInt64(int64(x))
	}
	return nil
}

func (b *BitSet) UnmarshalHessian2(d *hessian2.Decoder) error {
	*b = BitSet{}
	return readHandle(d, b, "java.util.BitSet", func(field string) error {
		if field != "words" {
			return d.Skip()
		}
		var w []int64
		if err := d.Decode(&w); err != nil {
			return err
		}
		if len(w) == 0 {
			return nil
		}
		if err := d.Charge(8 * len(w)); err != nil {
			return err
		}
		b.Words = make([]uint64, len(w))
		for i, x := range w {
			b.Words[i] = uint64(x)
		}
		b.Words = trimWords(b.Words)
		return nil
	}, bitSetHandle)
}

// AtomicLong is java.util.concurrent.atomic.AtomicLong.
type AtomicLong struct{ atomic.Int64 }

// NewAtomicLong returns an AtomicLong holding v.
func NewAtomicLong(v int64) *AtomicLong {
	a := &AtomicLong{}
	a.Store(v)
	return a
}

func (*AtomicLong) JavaClassName() string { return classAtomicLong }

func (a *AtomicLong) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(classAtomicLong, valueFields)
	e.WriteInt64(a.Load())
	return nil
}

func (a *AtomicLong) UnmarshalHessian2(d *hessian2.Decoder) error {
	a.Store(0)
	return readHandle(d, a, classAtomicLong, func(field string) error {
		if field != "value" {
			return d.Skip()
		}
		v, err := d.ReadInt64()
		a.Store(v)
		return err
	}, classAtomicLong)
}

// AtomicInteger is java.util.concurrent.atomic.AtomicInteger.
type AtomicInteger struct{ atomic.Int32 }

// NewAtomicInteger returns an AtomicInteger holding v.
func NewAtomicInteger(v int32) *AtomicInteger {
	a := &AtomicInteger{}
	a.Store(v)
	return a
}

func (*AtomicInteger) JavaClassName() string { return classAtomicInteger }

func (a *AtomicInteger) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(classAtomicInteger, valueFields)
	e.WriteInt32(a.Load())
	return nil
}

func (a *AtomicInteger) UnmarshalHessian2(d *hessian2.Decoder) error {
	a.Store(0)
	return readHandle(d, a, classAtomicInteger, func(field string) error {
		if field != "value" {
			return d.Skip()
		}
		v, err := d.ReadInt32()
		a.Store(v)
		return err
	}, classAtomicInteger)
}

// Char is java.lang.Character (and char, with hessian.argsType="char"): Java
// writes one as a string of that one UTF-16 unit. A Char above U+FFFF has no
// Java char, and fails to encode; a lone surrogate Java sends reads as
// U+FFFD. Java's char[] is a string: use a Thrift string with
// hessian.argsType="char[]".
type Char rune

func (*Char) JavaClassName() string { return "java.lang.Character" }

func (c *Char) MarshalHessian2(e *hessian2.Encoder) error {
	r := rune(*c)
	if r < 0 || r > 0xffff || r >= 0xd800 && r <= 0xdfff {
		return &hessian2.EncodeError{Type: "java.lang.Character", Err: fmt.Errorf("%w: %U is not a Java char (one UTF-16 unit outside the surrogates)", hessian2.ErrType, r)}
	}
	e.WriteString(string(r))
	return nil
}

// UnmarshalHessian2 reads a string's first character, as Java does; where
// that is half a surrogate pair (Java's charAt(0) of a character above
// U+FFFF), U+FFFD, as a lone surrogate reads.
func (c *Char) UnmarshalHessian2(d *hessian2.Decoder) error {
	s, err := d.ReadString()
	if err != nil {
		return hessian2.WrapField(err, "", "java.lang.Character")
	}
	r, _ := utf8.DecodeRuneInString(s)
	switch {
	case s == "":
		r = 0
	case r > 0xffff:
		r = utf8.RuneError
	}
	*c = Char(r)
	return nil
}
