package java

import (
	"encoding/hex"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// jdkHolder has a field of each of the other Java types, so each reader is
// reached typed; the same bytes read into `any` reach them as registered types.
type jdkHolder struct {
	Ts       *Timestamp      `thrift:"ts,1"`
	SD       *SQLDate        `thrift:"sd,2"`
	ST       *SQLTime        `thrift:"st,3"`
	UUID     *UUID           `thrift:"uuid,4"`
	Locale   *Locale         `thrift:"locale,5"`
	Currency *Currency       `thrift:"currency,6"`
	Dur      *Duration       `thrift:"dur,7"`
	Period   *Period         `thrift:"period,8"`
	Year     *Year           `thrift:"year,9"`
	YM       *YearMonth      `thrift:"ym,10"`
	MD       *MonthDay       `thrift:"md,11"`
	ZO       *ZoneOffset     `thrift:"zo,12"`
	ZI       *ZoneID         `thrift:"zi,13"`
	ZDT      *ZonedDateTime  `thrift:"zdt,14"`
	ODT      *OffsetDateTime `thrift:"odt,15"`
	OT       *OffsetTime     `thrift:"ot,16"`
	Cal      *Calendar       `thrift:"cal,17"`
	Enums    *EnumSet        `thrift:"enums,18"`
	Bits     *BitSet         `thrift:"bits,19"`
	AL       *AtomicLong     `thrift:"al,20"`
	AI       *AtomicInteger  `thrift:"ai,21"`
	Ch       *Char           `thrift:"ch,22"`
	Class    *Class          `thrift:"class,23"`
	List     *List           `thrift:"list,24"`
	Map      *Map            `thrift:"map,25"`
	When     *time.Time      `thrift:"when,26"`
}

func (*jdkHolder) JavaClassName() string { return "org.example.JdkHolder" }

// FuzzJavaTypes feeds arbitrary bytes to the Java types' own readers (the
// java.time handles, BigInteger's words, BigDecimal, the java.sql dates,
// java.util's and java.lang's types, typed lists and maps), typed and
// untyped. Any input may fail, but only with one of hessian2's sentinels,
// never by panicking; what reads into `any` must write again.
func FuzzJavaTypes(f *testing.F) {
	at := time.Date(2024, 2, 29, 13, 45, 7, 123456789, time.UTC)
	when := time.UnixMilli(1700000000000)
	n, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	for _, v := range []any{
		&holder{Total: NewBigDecimal("1.5"), Big: NewBigInteger(n), At: &LocalDateTime{at},
			Day: &LocalDate{at}, Moment: &Instant{at}, When: &when, Extra: &LocalTime{at}},
		NewBigInteger(big.NewInt(-1)), &LocalTime{at},
	} {
		b, err := hessian2.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(sampleJdkHolder(f))
	for _, c := range javaCases { // Java's own bytes
		b, err := hex.DecodeString(c.hex)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var h holder
		check(t, hessian2.Unmarshal(data, &h))
		var j jdkHolder
		check(t, hessian2.Unmarshal(data, &j))
		var x any
		if err := hessian2.Unmarshal(data, &x); err == nil {
			if _, err := hessian2.Marshal(x); err != nil {
				t.Fatalf("re-encode of %T: %v", x, err)
			}
		} else {
			check(t, err)
		}
	})
}

func check(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range []error{hessian2.ErrShortBuffer, hessian2.ErrTooLarge, hessian2.ErrType, hessian2.ErrSyntax} {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("error without a sentinel: %v", err)
}

func sampleJdkHolder(t testing.TB) []byte {
	at := time.Date(2024, 2, 29, 13, 45, 7, 123456789, OffsetZone(3600))
	bits := &BitSet{}
	bits.Set(70)
	b, err := hessian2.Marshal(&jdkHolder{
		Ts: &Timestamp{at}, SD: &SQLDate{at}, ST: &SQLTime{at}, UUID: ptr(mustUUID("123e4567-e89b-12d3-a456-426614174000")),
		Locale: &Locale{"en", "US", ""}, Currency: &Currency{"EUR"}, Dur: NewDuration(-time.Second), Period: &Period{1, 2, 3},
		Year: ptr(Year(2024)), YM: &YearMonth{2024, 2}, MD: &MonthDay{2, 29}, ZO: &ZoneOffset{3600}, ZI: &ZoneID{"Europe/Paris"},
		ZDT: NewZonedDateTime(at), ODT: &OffsetDateTime{at}, OT: &OffsetTime{at}, Cal: &Calendar{Time: at},
		Enums: &EnumSet{Enum: "org.example.Color", Names: []string{"RED"}}, Bits: bits, AL: NewAtomicLong(1),
		AI: NewAtomicInteger(2), Ch: ptr(Char('c')), Class: &Class{"java.lang.String"},
		List: &List{Type: "java.util.LinkedList", Values: []any{int32(1), "a"}},
		Map:  &Map{Type: "java.util.TreeMap", Entries: []hessian2.MapEntry{{Key: "k", Value: int64(1)}}}, When: &at,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
