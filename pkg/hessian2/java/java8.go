package java

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// The rest of java.time, each written as the hessian-lite handle its
// serializer makes (readResolve turns it back into the java.time value), with
// the handle's fields in the order hessian-lite writes them.
const (
	durationHandle       = "com.alibaba.com.caucho.hessian.io.java8.DurationHandle"
	periodHandle         = "com.alibaba.com.caucho.hessian.io.java8.PeriodHandle"
	yearHandle           = "com.alibaba.com.caucho.hessian.io.java8.YearHandle"
	yearMonthHandle      = "com.alibaba.com.caucho.hessian.io.java8.YearMonthHandle"
	monthDayHandle       = "com.alibaba.com.caucho.hessian.io.java8.MonthDayHandle"
	zoneOffsetHandle     = "com.alibaba.com.caucho.hessian.io.java8.ZoneOffsetHandle"
	zoneIDHandle         = "com.alibaba.com.caucho.hessian.io.java8.ZoneIdHandle"
	zonedDateTimeHandle  = "com.alibaba.com.caucho.hessian.io.java8.ZonedDateTimeHandle"
	offsetDateTimeHandle = "com.alibaba.com.caucho.hessian.io.java8.OffsetDateTimeHandle"
	offsetTimeHandle     = "com.alibaba.com.caucho.hessian.io.java8.OffsetTimeHandle"
)

var (
	durationFields       = []string{"nanos", "seconds"}
	periodFields         = []string{"days", "months", "years"}
	yearFields           = []string{"year"}
	yearMonthFields      = []string{"month", "year"}
	monthDayFields       = []string{"day", "month"}
	zoneOffsetFields     = []string{"seconds"}
	zoneIDFields         = []string{"zoneId"}
	zonedDateTimeFields  = []string{"offset", "dateTime", "zoneId"}
	offsetDateTimeFields = []string{"offset", "dateTime"}
	offsetTimeFields     = []string{"zoneOffset", "localTime"}
)

// Duration is java.time.Duration: seconds and a nanosecond adjustment in
// [0, 999999999], as Java keeps it. It is a struct, not a time.Duration,
// because Java's range (about ±292 billion years) is far wider than Go's
// (±292 years), and Java code does send the wide ones (ChronoUnit.FOREVER,
// Duration.ofSeconds(Long.MAX_VALUE) as "no limit"): reading them must not fail.
// NewDuration and Std convert.
type Duration struct {
	Seconds int64
	Nanos   int32
}

// NewDuration returns d as Java holds it: -1.5s is -2 seconds and 500000000 nanos.
func NewDuration(d time.Duration) *Duration {
	sec, ns := int64(d/time.Second), int64(d%time.Second)
	if ns < 0 {
		sec, ns = sec-1, ns+int64(time.Second)
	}
	return &Duration{Seconds: sec, Nanos: int32(ns)}
}

// Std returns the duration as a time.Duration, false if it does not fit one.
func (d *Duration) Std() (time.Duration, bool) {
	const max = math.MaxInt64 / int64(time.Second)
	s, n := d.Seconds, int64(d.Nanos)
	if s < 0 && n > 0 { // -1.5s is -2s + 0.5s: count it as -1s - 0.5s, which cannot overflow early
		s, n = s+1, n-int64(time.Second)
	}
	if s > max || s < -max {
		return 0, false
	}
	ns := s * int64(time.Second)
	sum := ns + n
	if (n > 0 && sum < ns) || (n < 0 && sum > ns) {
		return 0, false
	}
	return time.Duration(sum), true
}

// String is Go's form of the duration when it fits a time.Duration.
func (d *Duration) String() string {
	if std, ok := d.Std(); ok {
		return std.String()
	}
	return fmt.Sprintf("%ds+%dns", d.Seconds, d.Nanos)
}

func (*Duration) JavaClassName() string { return "java.time.Duration" }

func (d *Duration) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(durationHandle, durationFields)
	e.WriteInt32(d.Nanos)
	e.WriteInt64(d.Seconds)
	return nil
}

func (d *Duration) UnmarshalHessian2(dec *hessian2.Decoder) error {
	*d = Duration{}
	return readHandle(dec, d, "java.time.Duration", func(field string) (err error) {
		switch field {
		case "seconds":
			d.Seconds, err = dec.ReadInt64()
		case "nanos":
			d.Nanos, err = dec.ReadInt32()
		default:
			err = dec.Skip()
		}
		return err
	}, durationHandle)
}

// Period is java.time.Period: years, months and days, each kept as given
// (Java does not normalize 14 months into a year and 2).
type Period struct {
	Years, Months, Days int32
}

// AddTo returns t plus the period as Java's Period.addTo adds it: the months
// first, a day past the new month's end becoming its last day (Jan 31 plus a
// month is Feb 28 or 29, where Go's AddDate gives Mar 2 or 3), then the days.
func (p *Period) AddTo(t time.Time) time.Time {
	months := t.Year()*12 + int(t.Month()) - 1 + int(p.Years)*12 + int(p.Months)
	y := months / 12
	if months%12 < 0 {
		y--
	}
	m := time.Month(months - y*12 + 1)
	day := min(t.Day(), daysIn(y, m))
	h, mi, s := t.Clock()
	return time.Date(y, m, day, h, mi, s, t.Nanosecond(), t.Location()).AddDate(0, 0, int(p.Days))
}

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// String is Java's ISO-8601 form, P1Y2M3D.
func (p *Period) String() string {
	if *p == (Period{}) {
		return "P0D"
	}
	var b strings.Builder
	b.WriteByte('P')
	for _, x := range []struct {
		n    int32
		unit byte
	}{{p.Years, 'Y'}, {p.Months, 'M'}, {p.Days, 'D'}} {
		if x.n != 0 {
			b.WriteString(strconv.Itoa(int(x.n)))
			b.WriteByte(x.unit)
		}
	}
	return b.String()
}

func (*Period) JavaClassName() string { return "java.time.Period" }

func (p *Period) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(periodHandle, periodFields)
	e.WriteInt32(p.Days)
	e.WriteInt32(p.Months)
	e.WriteInt32(p.Years)
	return nil
}

func (p *Period) UnmarshalHessian2(d *hessian2.Decoder) error {
	*p = Period{}
	return readHandle(d, p, "java.time.Period", func(field string) (err error) {
		switch field {
		case "years":
			p.Years, err = d.ReadInt32()
		case "months":
			p.Months, err = d.ReadInt32()
		case "days":
			p.Days, err = d.ReadInt32()
		default:
			err = d.Skip()
		}
		return err
	}, periodHandle)
}

// Year is java.time.Year.
type Year int32

// YearOf returns t's year.
func YearOf(t time.Time) Year { return Year(t.Year()) }

func (*Year) JavaClassName() string { return "java.time.Year" }

func (y *Year) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(yearHandle, yearFields)
	e.WriteInt32(int32(*y))
	return nil
}

func (y *Year) UnmarshalHessian2(d *hessian2.Decoder) error {
	*y = 0
	return readHandle(d, y, "java.time.Year", func(field string) error {
		if field != "year" {
			return d.Skip()
		}
		v, err := d.ReadInt32()
		*y = Year(v)
		return err
	}, yearHandle)
}

// YearMonth is java.time.YearMonth.
type YearMonth struct {
	Year  int32
	Month time.Month
}

// YearMonthOf returns t's year and month.
func YearMonthOf(t time.Time) YearMonth { return YearMonth{int32(t.Year()), t.Month()} }

// String is Java's form, 2024-02.
func (ym *YearMonth) String() string { return fmt.Sprintf("%04d-%02d", ym.Year, int(ym.Month)) }

func (*YearMonth) JavaClassName() string { return "java.time.YearMonth" }

func (ym *YearMonth) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(yearMonthHandle, yearMonthFields)
	e.WriteInt32(int32(ym.Month))
	e.WriteInt32(ym.Year)
	return nil
}

func (ym *YearMonth) UnmarshalHessian2(d *hessian2.Decoder) error {
	*ym = YearMonth{}
	return readHandle(d, ym, "java.time.YearMonth", func(field string) (err error) {
		switch field {
		case "year":
			ym.Year, err = d.ReadInt32()
		case "month":
			var m int32
			m, err = d.ReadInt32()
			ym.Month = time.Month(m)
		default:
			err = d.Skip()
		}
		return err
	}, yearMonthHandle)
}

// MonthDay is java.time.MonthDay (February 29 is one).
type MonthDay struct {
	Month time.Month
	Day   int32
}

// MonthDayOf returns t's month and day.
func MonthDayOf(t time.Time) MonthDay { return MonthDay{t.Month(), int32(t.Day())} }

// String is Java's form, --02-29.
func (md *MonthDay) String() string { return fmt.Sprintf("--%02d-%02d", int(md.Month), md.Day) }

func (*MonthDay) JavaClassName() string { return "java.time.MonthDay" }

func (md *MonthDay) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(monthDayHandle, monthDayFields)
	e.WriteInt32(md.Day)
	e.WriteInt32(int32(md.Month))
	return nil
}

func (md *MonthDay) UnmarshalHessian2(d *hessian2.Decoder) error {
	*md = MonthDay{}
	return readHandle(d, md, "java.time.MonthDay", func(field string) (err error) {
		switch field {
		case "day":
			md.Day, err = d.ReadInt32()
		case "month":
			var m int32
			m, err = d.ReadInt32()
			md.Month = time.Month(m)
		default:
			err = d.Skip()
		}
		return err
	}, monthDayHandle)
}

// ZoneOffset is java.time.ZoneOffset: seconds east of UTC.
type ZoneOffset struct {
	Seconds int32
}

// ZoneOffsetOf returns t's offset from UTC.
func ZoneOffsetOf(t time.Time) ZoneOffset {
	_, off := t.Zone()
	return ZoneOffset{int32(off)}
}

// Location returns the offset as a fixed zone (OffsetZone).
func (z *ZoneOffset) Location() *time.Location { return OffsetZone(int(z.Seconds)) }

// String is the offset's Java ID: Z, +08:00, -03:30, +01:02:03.
func (z *ZoneOffset) String() string { return offsetID(int(z.Seconds)) }

func (*ZoneOffset) JavaClassName() string { return "java.time.ZoneOffset" }

func (z *ZoneOffset) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(zoneOffsetHandle, zoneOffsetFields)
	e.WriteInt32(z.Seconds)
	return nil
}

func (z *ZoneOffset) UnmarshalHessian2(d *hessian2.Decoder) error {
	*z = ZoneOffset{}
	return readHandle(d, z, "java.time.ZoneOffset", func(field string) (err error) {
		if field != "seconds" {
			return d.Skip()
		}
		z.Seconds, err = d.ReadInt32()
		return err
	}, zoneOffsetHandle)
}

// OffsetZone is the fixed time.Location the types here read an offset
// into: time.UTC for 0, else a zone named by the offset's Java ID (+08:00).
// Values built with it compare equal (reflect.DeepEqual) to values read.
func OffsetZone(seconds int) *time.Location {
	if seconds == 0 {
		return time.UTC
	}
	if seconds%(15*60) == 0 && seconds >= -18*3600 && seconds <= 18*3600 {
		return quarterHourZones[seconds/(15*60)+18*4]
	}
	return time.FixedZone(offsetID(seconds), seconds)
}

// quarterHourZones are the offsets zones use, made once: reading one does
// not allocate a Location per value.
var quarterHourZones = func() (z [2*18*4 + 1]*time.Location) {
	for i := range z {
		s := (i - 18*4) * 15 * 60
		z[i] = time.FixedZone(offsetID(s), s)
	}
	return z
}()

// offsetID is ZoneOffset.getId().
func offsetID(s int) string {
	if s == 0 {
		return "Z"
	}
	sign := byte('+')
	if s < 0 {
		sign, s = '-', -s
	}
	id := fmt.Sprintf("%c%02d:%02d", sign, s/3600, s/60%60)
	if s%60 != 0 {
		id += fmt.Sprintf(":%02d", s%60)
	}
	return id
}

// parseOffsetID reads the offset forms ZoneId.of accepts as a ZoneOffset: Z,
// +h, +hh, +hh:mm, +hhmm, +hh:mm:ss, +hhmmss.
func parseOffsetID(id string) (int, bool) {
	if id == "Z" {
		return 0, true
	}
	if len(id) < 2 || id[0] != '+' && id[0] != '-' {
		return 0, false
	}
	digits := strings.ReplaceAll(id[1:], ":", "")
	if len(digits) == 1 {
		digits = "0" + digits
	}
	if len(digits) != 2 && len(digits) != 4 && len(digits) != 6 {
		return 0, false
	}
	secs, mult := 0, 3600
	for i := 0; i < len(digits); i += 2 {
		n, err := strconv.Atoi(digits[i : i+2])
		if err != nil || n < 0 {
			return 0, false
		}
		secs += n * mult
		mult /= 60
	}
	if secs > 18*3600 {
		return 0, false
	}
	if id[0] == '-' {
		secs = -secs
	}
	return secs, true
}

// ZoneID is java.time.ZoneId: a region ("Asia/Shanghai", "UTC") or an
// offset ("Z", "+08:00"), as Java's getId gives it. Java writes a ZoneId that
// is an offset as a ZoneOffset; so do we, and both read back into a ZoneID.
type ZoneID struct {
	ID string
}

// ZoneIDOf returns loc's name as a Java zone ID; a zone Go cannot name (Local,
// a fixed zone) by the offset it has at t.
func ZoneIDOf(loc *time.Location, t time.Time) ZoneID {
	return ZoneID{zoneName(t.In(loc))}
}

// Location loads the zone from Go's time zone database (an offset is a fixed zone).
func (z *ZoneID) Location() (*time.Location, error) {
	if off, ok := parseOffsetID(z.ID); ok {
		return OffsetZone(off), nil
	}
	return time.LoadLocation(z.ID)
}

func (z *ZoneID) String() string { return z.ID }

func (*ZoneID) JavaClassName() string { return "java.time.ZoneId" }

func (z *ZoneID) MarshalHessian2(e *hessian2.Encoder) error {
	if off, ok := parseOffsetID(z.ID); ok {
		return (&ZoneOffset{int32(off)}).MarshalHessian2(e)
	}
	e.WriteObjectStart(zoneIDHandle, zoneIDFields)
	e.WriteString(z.ID)
	return nil
}

func (z *ZoneID) UnmarshalHessian2(d *hessian2.Decoder) error {
	*z = ZoneID{}
	h, err := readHandleStart(d, z, "java.time.ZoneId", zoneIDHandle, zoneOffsetHandle)
	if err != nil {
		return err
	}
	return readHandleFields(d, h, "java.time.ZoneId", func(field string) (err error) {
		switch {
		case field == "zoneId" && h.class == zoneIDHandle:
			z.ID, err = d.ReadString()
		case field == "seconds" && h.class == zoneOffsetHandle:
			var s int32
			if s, err = d.ReadInt32(); err == nil {
				err = d.Charge(16) // the ID's string
				z.ID = offsetID(int(s))
			}
		default:
			err = d.Skip()
		}
		return err
	})
}

// zoneName is the Java zone ID of t's location: its name when Go loaded it
// from the zone database, else its offset at t.
func zoneName(t time.Time) string {
	loc := t.Location()
	switch name := loc.String(); {
	case loc == time.UTC:
		return "Z"
	case name == "" || name == "Local":
	default:
		if _, ok := parseOffsetID(name); ok {
			return name
		}
		if l, err := time.LoadLocation(name); err == nil && l.String() == name {
			return name
		}
	}
	_, off := t.Zone()
	return offsetID(off)
}

// ZonedDateTime is java.time.ZonedDateTime: Time carries the instant and the
// wall clock and offset Java had (read, its Location is OffsetZone of that
// offset), ZoneID the zone ("America/New_York"). Written, Java rebuilds the
// value from the wall clock, the zone and the offset, so a wall time that
// occurs twice in the zone (a DST overlap) keeps the offset it had, and the
// value round-trips exactly even where Go's and Java's zone data differ.
type ZonedDateTime struct {
	time.Time
	ZoneID string
}

// NewZonedDateTime returns t with the Java zone of its Location (ZoneIDOf).
func NewZonedDateTime(t time.Time) *ZonedDateTime {
	return &ZonedDateTime{Time: t, ZoneID: zoneName(t)}
}

// InZone returns the time in its zone loaded from Go's zone database.
func (z *ZonedDateTime) InZone() (time.Time, error) {
	loc, err := (&ZoneID{z.ZoneID}).Location()
	if err != nil {
		return time.Time{}, err
	}
	return z.Time.In(loc), nil
}

func (*ZonedDateTime) JavaClassName() string { return "java.time.ZonedDateTime" }

func (z *ZonedDateTime) MarshalHessian2(e *hessian2.Encoder) error {
	id := z.ZoneID
	if id == "" {
		id = zoneName(z.Time)
	}
	e.WriteObjectStart(zonedDateTimeHandle, zonedDateTimeFields)
	offset := ZoneOffsetOf(z.Time)
	if err := offset.MarshalHessian2(e); err != nil {
		return err
	}
	writeLocalDateTime(e, z.Time)
	e.WriteString(id)
	return nil
}

func (z *ZonedDateTime) UnmarshalHessian2(d *hessian2.Decoder) error {
	*z = ZonedDateTime{}
	var off ZoneOffset
	var clock time.Time
	err := readHandle(d, z, "java.time.ZonedDateTime", func(field string) (err error) {
		switch field {
		case "offset":
			err = readOptional(d, &off)
		case "dateTime":
			err = readNestedLocalDateTime(d, &clock)
		case "zoneId":
			z.ZoneID, err = d.ReadString()
		default:
			err = d.Skip()
		}
		return err
	}, zonedDateTimeHandle)
	if err != nil {
		return err
	}
	z.Time, err = atOffset(d, clock, off)
	return err
}

// OffsetDateTime is java.time.OffsetDateTime: the wall clock and offset of
// Time's location (read, OffsetZone of the offset).
type OffsetDateTime struct{ time.Time }

func (*OffsetDateTime) JavaClassName() string { return "java.time.OffsetDateTime" }

func (t *OffsetDateTime) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(offsetDateTimeHandle, offsetDateTimeFields)
	offset := ZoneOffsetOf(t.Time)
	if err := offset.MarshalHessian2(e); err != nil {
		return err
	}
	writeLocalDateTime(e, t.Time)
	return nil
}

func (t *OffsetDateTime) UnmarshalHessian2(d *hessian2.Decoder) error {
	var off ZoneOffset
	var clock time.Time
	err := readHandle(d, t, "java.time.OffsetDateTime", func(field string) (err error) {
		switch field {
		case "offset":
			err = readOptional(d, &off)
		case "dateTime":
			err = readNestedLocalDateTime(d, &clock)
		default:
			err = d.Skip()
		}
		return err
	}, offsetDateTimeHandle)
	if err != nil {
		return err
	}
	t.Time, err = atOffset(d, clock, off)
	return err
}

// OffsetTime is java.time.OffsetTime: Time's clock and offset; the date
// fields are ignored (read, 0000-01-01).
type OffsetTime struct{ time.Time }

func (*OffsetTime) JavaClassName() string { return "java.time.OffsetTime" }

func (t *OffsetTime) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(offsetTimeHandle, offsetTimeFields)
	offset := ZoneOffsetOf(t.Time)
	if err := offset.MarshalHessian2(e); err != nil {
		return err
	}
	writeClock(e, t.Time)
	return nil
}

func (t *OffsetTime) UnmarshalHessian2(d *hessian2.Decoder) error {
	var off ZoneOffset
	var clock time.Time
	err := readHandle(d, t, "java.time.OffsetTime", func(field string) (err error) {
		switch field {
		case "zoneOffset":
			err = readOptional(d, &off)
		case "localTime":
			err = readNested(d, &clock, readClock)
		default:
			err = d.Skip()
		}
		return err
	}, offsetTimeHandle)
	if err != nil {
		return err
	}
	if clock.IsZero() {
		clock = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	t.Time, err = atOffset(d, clock, off)
	return err
}

// readOptional reads a nested value that Java may leave null.
func readOptional(d *hessian2.Decoder, u hessian2.Unmarshaler) error {
	if d.IsNull() {
		return nil
	}
	return u.UnmarshalHessian2(d)
}

func readNestedLocalDateTime(d *hessian2.Decoder, t *time.Time) error {
	if d.IsNull() {
		return nil
	}
	return readLocalDateTime(d, nil, t, time.UTC)
}

// atOffset puts clock's wall time at the offset, in OffsetZone's location,
// charging the location to the decoder's budget.
func atOffset(d *hessian2.Decoder, clock time.Time, off ZoneOffset) (time.Time, error) {
	if off.Seconds < -18*3600 || off.Seconds > 18*3600 {
		return time.Time{}, d.Errorf(hessian2.ErrType, "zone offset of %d seconds is outside Java's ±18 hours", off.Seconds)
	}
	if off.Seconds%(15*60) != 0 {
		if err := d.Charge(locationSize); err != nil {
			return time.Time{}, err
		}
	}
	return time.Date(clock.Year(), clock.Month(), clock.Day(), clock.Hour(), clock.Minute(), clock.Second(),
		clock.Nanosecond(), OffsetZone(int(off.Seconds))), nil
}

// locationSize is about what time.FixedZone allocates.
const locationSize = 256
