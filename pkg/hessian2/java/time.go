package java

import (
	"fmt"
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

var (
	localDateTimeFields = []string{"date", "time"}
	localDateFields     = []string{"year", "month", "day"}
	localTimeFields     = []string{"hour", "minute", "second", "nano"}
	instantFields       = []string{"seconds", "nanos"}
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
	e.WriteObjectStart(localDateTimeHandle, localDateTimeFields)
	writeDate(e, t.Time)
	writeClock(e, t.Time)
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
	e.WriteInt64(t.Unix())
	e.WriteInt32(int32(t.Nanosecond()))
	return nil
}

func writeDate(e *hessian2.Encoder, t time.Time) {
	e.WriteObjectStart(localDateHandle, localDateFields)
	e.WriteInt32(int32(t.Year()))
	e.WriteInt32(int32(t.Month()))
	e.WriteInt32(int32(t.Day()))
}

func writeClock(e *hessian2.Encoder, t time.Time) {
	e.WriteObjectStart(localTimeHandle, localTimeFields)
	e.WriteInt32(int32(t.Hour()))
	e.WriteInt32(int32(t.Minute()))
	e.WriteInt32(int32(t.Second()))
	e.WriteInt32(int32(t.Nanosecond()))
}

func (t *LocalDateTime) UnmarshalHessian2(d *hessian2.Decoder) error {
	var date, clock time.Time
	err := readHandle(d, t, localDateTimeHandle, func(field string) error {
		switch field {
		case "date":
			return readNested(d, &date, readDate)
		case "time":
			return readNested(d, &clock, readClock)
		}
		return d.Skip()
	})
	t.Time = time.Date(date.Year(), date.Month(), date.Day(), clock.Hour(), clock.Minute(), clock.Second(), clock.Nanosecond(), time.UTC)
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
	err := readHandle(d, t, instantHandle, func(field string) error {
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
	})
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
	err := readHandle(d, t, localDateHandle, func(field string) error {
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
	})
	*t = time.Date(int(y), time.Month(m), int(day), 0, 0, 0, 0, time.UTC)
	return err
}

func readClock(d *hessian2.Decoder, t *time.Time) error {
	var h, m, s, n int32
	err := readHandle(d, t, localTimeHandle, func(field string) error {
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
	})
	*t = time.Date(0, 1, 1, int(h), int(m), int(s), int(n), time.UTC)
	return err
}

// readHandle reads one handle object, checking its class and passing each field
// name to readField, which must consume the field's value.
func readHandle(d *hessian2.Decoder, self any, class string, readField func(string) error) error {
	got, fields, err := d.ReadObjectStart(self)
	if err != nil {
		return err
	}
	if got != class {
		return fmt.Errorf("%w: object of class %s where %s was expected", hessian2.ErrType, got, class)
	}
	for _, f := range fields {
		if err := readField(f); err != nil {
			return fmt.Errorf("%s.%s: %w", class, f, err)
		}
	}
	return nil
}
