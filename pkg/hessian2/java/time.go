package java

import (
	"time"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// hessian-lite (Dubbo's Hessian) writes java.time values as "handle" objects,
// replaced by the real type on read (readResolve). These are the handles' class
// names and fields, in the order Java's serializer writes them.
const (
	localDateTimeHandle = "com.alibaba.com.caucho.hessian.io.java8.LocalDateTimeHandle"
	localDateHandle     = "com.alibaba.com.caucho.hessian.io.java8.LocalDateHandle"
	localTimeHandle     = "com.alibaba.com.caucho.hessian.io.java8.LocalTimeHandle"
	instantHandle       = "com.alibaba.com.caucho.hessian.io.java8.InstantHandle"
)

// Field orders are the ones hessian-lite writes (its serializer lists a
// class's primitive and java.lang fields, then the others, and reverses the
// lot), so our bytes are Java's.
var (
	localDateTimeFields = []string{"time", "date"}
	localDateFields     = []string{"day", "month", "year"}
	localTimeFields     = []string{"nano", "second", "minute", "hour"}
	instantFields       = []string{"nanos", "seconds"}
)

// LocalDateTime is java.time.LocalDateTime: a date and wall-clock time with no
// zone. Only the time.Time's wall-clock fields are written; on read it is in UTC.
type LocalDateTime struct{ time.Time }

// LocalDate is java.time.LocalDate; the clock fields are ignored.
type LocalDate struct{ time.Time }

// LocalTime is java.time.LocalTime; the date fields are ignored.
type LocalTime struct{ time.Time }

// Instant is java.time.Instant: a point on the UTC time line, to the nanosecond.
type Instant struct{ time.Time }

func (*LocalDateTime) JavaClassName() string { return "java.time.LocalDateTime" }
func (*LocalDate) JavaClassName() string     { return "java.time.LocalDate" }
func (*LocalTime) JavaClassName() string     { return "java.time.LocalTime" }
func (*Instant) JavaClassName() string       { return "java.time.Instant" }

func (t *LocalDateTime) MarshalHessian2(e *hessian2.Encoder) error {
	writeLocalDateTime(e, t.Time)
	return nil
}

func (t *LocalDate) MarshalHessian2(e *hessian2.Encoder) error {
	writeDate(e, t.Time)
	return nil
}

func (t *LocalTime) MarshalHessian2(e *hessian2.Encoder) error {
	writeClock(e, t.Time)
	return nil
}

func (t *Instant) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart(instantHandle, instantFields)
	e.WriteInt32(int32(t.Nanosecond()))
	e.WriteInt64(t.Unix())
	return nil
}

// writeLocalDateTime writes t's wall clock in its own location.
func writeLocalDateTime(e *hessian2.Encoder, t time.Time) {
	e.WriteObjectStart(localDateTimeHandle, localDateTimeFields)
	writeClock(e, t)
	writeDate(e, t)
}

func writeDate(e *hessian2.Encoder, t time.Time) {
	e.WriteObjectStart(localDateHandle, localDateFields)
	e.WriteInt32(int32(t.Day()))
	e.WriteInt32(int32(t.Month()))
	e.WriteInt32(int32(t.Year()))
}

func writeClock(e *hessian2.Encoder, t time.Time) {
	e.WriteObjectStart(localTimeHandle, localTimeFields)
	e.WriteInt32(int32(t.Nanosecond()))
	e.WriteInt32(int32(t.Second()))
	e.WriteInt32(int32(t.Minute()))
	e.WriteInt32(int32(t.Hour()))
}

func (t *LocalDateTime) UnmarshalHessian2(d *hessian2.Decoder) error {
	return readLocalDateTime(d, t, &t.Time, time.UTC)
}

// readLocalDateTime reads a LocalDateTimeHandle into *t, in loc.
func readLocalDateTime(d *hessian2.Decoder, self any, t *time.Time, loc *time.Location) error {
	var date, clock time.Time
	err := readHandle(d, self, "java.time.LocalDateTime", func(field string) error {
		switch field {
		case "date":
			return readNested(d, &date, readDate)
		case "time":
			return readNested(d, &clock, readClock)
		}
		return d.Skip()
	}, localDateTimeHandle)
	*t = time.Date(date.Year(), date.Month(), date.Day(), clock.Hour(), clock.Minute(), clock.Second(), clock.Nanosecond(), loc)
	return err
}

func (t *LocalDate) UnmarshalHessian2(d *hessian2.Decoder) error {
	return readDate(d, &t.Time)
}

func (t *LocalTime) UnmarshalHessian2(d *hessian2.Decoder) error {
	return readClock(d, &t.Time)
}

func (t *Instant) UnmarshalHessian2(d *hessian2.Decoder) error {
	var sec int64
	var nano int32
	err := readHandle(d, t, "java.time.Instant", func(field string) error {
		var err error
		switch field {
		case "seconds":
			sec, err = d.ReadInt64()
		case "nanos":
			nano, err = d.ReadInt32()
		default:
			err = d.Skip()
		}
		return err
	}, instantHandle)
	t.Time = time.Unix(sec, int64(nano)).UTC()
	return err
}

func readNested(d *hessian2.Decoder, t *time.Time, read func(*hessian2.Decoder, *time.Time) error) error {
	if d.IsNull() {
		return nil
	}
	return read(d, t)
}

func readDate(d *hessian2.Decoder, t *time.Time) error {
	var y, m, day int32 = 1970, 1, 1
	err := readHandle(d, t, "java.time.LocalDate", func(field string) error {
		var err error
		switch field {
		case "year":
			y, err = d.ReadInt32()
		case "month":
			m, err = d.ReadInt32()
		case "day":
			day, err = d.ReadInt32()
		default:
			err = d.Skip()
		}
		return err
	}, localDateHandle)
	*t = time.Date(int(y), time.Month(m), int(day), 0, 0, 0, 0, time.UTC)
	return err
}

func readClock(d *hessian2.Decoder, t *time.Time) error {
	var h, m, s, n int32
	err := readHandle(d, t, "java.time.LocalTime", func(field string) error {
		var err error
		switch field {
		case "hour":
			h, err = d.ReadInt32()
		case "minute":
			m, err = d.ReadInt32()
		case "second":
			s, err = d.ReadInt32()
		case "nano":
			n, err = d.ReadInt32()
		default:
			err = d.Skip()
		}
		return err
	}, localTimeHandle)
	*t = time.Date(0, 1, 1, int(h), int(m), int(s), int(n), time.UTC)
	return err
}

// readHandle reads one object of one of the classes (a handle and, for some
// types, the classes Java also writes for them), checking its class and
// passing each field name to readField, which must consume the field's value.
// Errors name the field and javaClass, the Java type being read.
func readHandle(d *hessian2.Decoder, self any, javaClass string, readField func(string) error, classes ...string) error {
	got, err := readHandleStart(d, self, javaClass, classes...)
	if err != nil {
		return err
	}
	return readHandleFields(d, got, javaClass, readField)
}

// readHandleStart reads an object's header, returning its class, one of classes.
func readHandleStart(d *hessian2.Decoder, self any, javaClass string, classes ...string) (handle, error) {
	got, fields, err := d.ReadObjectStart(self)
	if err != nil {
		return handle{}, hessian2.WrapField(err, "", javaClass)
	}
	for _, c := range classes {
		if got == c {
			return handle{got, fields}, nil
		}
	}
	return handle{}, d.Errorf(hessian2.ErrType, "object of class %s where %s was expected", got, javaClass)
}

type handle struct {
	class  string
	fields []string
}

func readHandleFields(d *hessian2.Decoder, h handle, javaClass string, readField func(string) error) error {
	for _, f := range h.fields {
		if err := readField(f); err != nil {
			return hessian2.WrapField(err, f, javaClass)
		}
	}
	return nil
}
