package java

import (
	"time"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// The java.sql dates. hessian-lite writes each as an object of its own class
// with one field, value, holding the date as a Hessian date (milliseconds
// since the epoch): a Timestamp's nanoseconds past the millisecond are not
// written, so they are lost Java to Java too. A Java field declared with one
// of these classes cannot take a java.util.Date (Java fails to set it), which
// is why they are types of their own here rather than java.Date. Each embeds
// the time.Time it stands for.
//
// Read leniently, as Java reads them: a plain date or an object of any of the
// three classes goes into any of them, and into a java.Date (time.Time) field.
type (
	// Timestamp is java.sql.Timestamp, to the millisecond.
	Timestamp struct{ time.Time }
	// SQLDate is java.sql.Date (the instant Java holds, not only the day).
	SQLDate struct{ time.Time }
	// SQLTime is java.sql.Time (the instant Java holds, not only the clock).
	SQLTime struct{ time.Time }
)

const (
	classTimestamp = "java.sql.Timestamp"
	classSQLDate   = "java.sql.Date"
	classSQLTime   = "java.sql.Time"
)

var sqlDateFields = []string{"value"}

func (*Timestamp) JavaClassName() string { return classTimestamp }
func (*SQLDate) JavaClassName() string   { return classSQLDate }
func (*SQLTime) JavaClassName() string   { return classSQLTime }

func (t *Timestamp) MarshalHessian2(e *hessian2.Encoder) error {
	return writeSQLDate(e, classTimestamp, t.Time)
}
func (t *SQLDate) MarshalHessian2(e *hessian2.Encoder) error {
	return writeSQLDate(e, classSQLDate, t.Time)
}
func (t *SQLTime) MarshalHessian2(e *hessian2.Encoder) error {
	return writeSQLDate(e, classSQLTime, t.Time)
}

func (t *Timestamp) UnmarshalHessian2(d *hessian2.Decoder) error {
	return readSQLDate(d, t, &t.Time, classTimestamp)
}
func (t *SQLDate) UnmarshalHessian2(d *hessian2.Decoder) error {
	return readSQLDate(d, t, &t.Time, classSQLDate)
}
func (t *SQLTime) UnmarshalHessian2(d *hessian2.Decoder) error {
	return readSQLDate(d, t, &t.Time, classSQLTime)
}

func writeSQLDate(e *hessian2.Encoder, class string, t time.Time) error {
	e.WriteObjectStart(class, sqlDateFields)
	e.WriteTime(t)
	return nil
}

func readSQLDate(d *hessian2.Decoder, self any, t *time.Time, javaClass string) error {
	if !d.IsObject() {
		tm, err := d.ReadTime()
		if err != nil {
			return hessian2.WrapField(err, "", javaClass)
		}
		*t = tm
		return nil
	}
	*t = time.Time{}
	return readHandle(d, self, javaClass, func(field string) (err error) {
		if field != "value" {
			return d.Skip()
		}
		if d.IsNull() {
			return nil
		}
		*t, err = d.ReadTime()
		return err
	}, classTimestamp, classSQLDate, classSQLTime)
}
