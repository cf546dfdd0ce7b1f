package tests

import (
	"math"
	"time"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2/java"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

// The JDK types' cases: the values of java-interop's JdkTypes.java (sample,
// nulls, edges, objects) and Cases.jdkTypes, under the same names.

func uuid(s string) *java.UUID {
	u, err := java.ParseUUID(s)
	if err != nil {
		panic(err)
	}
	return &u
}

func bits(set ...int) *java.BitSet {
	b := &java.BitSet{}
	for _, i := range set {
		b.Set(i)
	}
	return b
}

func ordered(kv ...any) *java.Map {
	m := &java.Map{Type: "java.util.LinkedHashMap"}
	for i := 0; i < len(kv); i += 2 {
		m.Entries = append(m.Entries, hessian2.MapEntry{Key: kv[i], Value: kv[i+1]})
	}
	return m
}

func typedList(typ string, v ...any) *java.List { return &java.List{Type: typ, Values: v} }

func offsetAt(offset time.Duration, y int, m time.Month, d, h, mi, s, ns int) time.Time {
	return time.Date(y, m, d, h, mi, s, ns, java.OffsetZone(int(offset/time.Second)))
}

// jdkObjects is JdkTypes.objects(): one value of each type, named by class,
// as echoObject sends it through a java.lang.Object.
func jdkObjects() []struct {
	name string
	v    java.Object
} {
	return []struct {
		name string
		v    java.Object
	}{
		{"Timestamp", &java.Timestamp{Time: time.UnixMilli(1700000000123)}},
		{"SQLDate", &java.SQLDate{Time: time.UnixMilli(1700000000000)}},
		{"SQLTime", &java.SQLTime{Time: time.UnixMilli(3723000)}},
		{"UUID", uuid("123e4567-e89b-12d3-a456-426614174000")},
		{"Locale", &java.Locale{Language: "zh", Country: "CN"}},
		{"Currency", &java.Currency{Code: "USD"}},
		{"Duration", java.NewDuration(-1500 * time.Millisecond)},
		{"Period", &java.Period{Months: 14}},
		{"Year", ptr(java.Year(1999))},
		{"YearMonth", &java.YearMonth{Year: 1999, Month: 12}},
		{"MonthDay", &java.MonthDay{Month: 1, Day: 1}},
		{"ZoneOffset", &java.ZoneOffset{Seconds: -8 * 3600}},
		{"ZoneId", &java.ZoneID{ID: "America/New_York"}},
		{"ZonedDateTime", &java.ZonedDateTime{Time: offsetAt(9*time.Hour, 2030, 6, 1, 0, 0, 0, 1), ZoneID: "Asia/Tokyo"}},
		{"OffsetDateTime", &java.OffsetDateTime{Time: offsetAt(9*time.Hour, 2030, 6, 1, 0, 0, 0, 1)}},
		{"OffsetTime", &java.OffsetTime{Time: offsetAt(-time.Hour, 0, 1, 1, 23, 59, 59, 1)}},
		{"Calendar", &java.Calendar{Time: time.UnixMilli(86400000)}},
		{"EnumSet", java.EnumSetOf(interop.Status_SUSPENDED)},
		{"BitSet", bits(0, 63, 64)},
		{"AtomicLong", java.NewAtomicLong(1 << 40)},
		{"AtomicInteger", java.NewAtomicInteger(-1)},
		{"Integer[]", typedList("[java.lang.Integer", int32(1), nil, int32(3))},
		{"Long[]", typedList("[java.lang.Long", int64(1), int64(2))},
		{"int[]", typedList("[int", int32(4), int32(5))},
		{"String[]", typedList("[string", "a", nil)},
		{"LinkedList", typedList("java.util.LinkedList", "l1", "l2")},
		{"HashSet", typedList("java.util.HashSet", "only")},
		{"TreeSet", typedList("java.util.TreeSet", "a", "b")},
		{"TreeMap", &java.Map{Type: "java.util.TreeMap", Entries: []hessian2.MapEntry{{Key: "x", Value: int32(1)}, {Key: "y", Value: int32(2)}}}},
		{"ConcurrentHashMap", &java.Map{Type: "java.util.concurrent.ConcurrentHashMap", Entries: []hessian2.MapEntry{{Key: "c", Value: int32(3)}}}},
		{"LinkedHashMap", ordered("z", int32(1), "a", int32(2))},
	}
}

func sampleJdkTypes() *interop.JdkTypes {
	var objects []java.Object
	for _, o := range jdkObjects() {
		if o.name != "Calendar" { // see JdkTypes.java: hessian-lite misnumbers references after one
			objects = append(objects, o.v)
		}
	}
	return &interop.JdkTypes{
		Timestamp: &java.Timestamp{Time: time.UnixMilli(1700000000123)}, SqlDate: &java.SQLDate{Time: time.UnixMilli(1700000000000)},
		SqlTime: &java.SQLTime{Time: time.UnixMilli(3723000)}, Uuid: uuid("123e4567-e89b-12d3-a456-426614174000"),
		Locale: &java.Locale{Language: "en", Country: "US"}, Currency: &java.Currency{Code: "EUR"},
		Duration: &java.Duration{Seconds: 90061, Nanos: 123456789}, Period: &java.Period{Years: 1, Months: 2, Days: 3},
		Year: ptr(java.Year(2024)), YearMonth: &java.YearMonth{Year: 2024, Month: 2}, MonthDay: &java.MonthDay{Month: 2, Day: 29},
		ZoneOffset: &java.ZoneOffset{Seconds: 5*3600 + 30*60}, ZoneId: &java.ZoneID{ID: "Asia/Shanghai"},
		ZonedDateTime:  &java.ZonedDateTime{Time: offsetAt(time.Hour, 2024, 2, 29, 13, 45, 7, 123456789), ZoneID: "Europe/Paris"},
		OffsetDateTime: &java.OffsetDateTime{Time: offsetAt(-3*time.Hour, 2024, 1, 2, 3, 4, 5, 6)},
		OffsetTime:     &java.OffsetTime{Time: offsetAt(2*time.Hour, 0, 1, 1, 3, 4, 5, 6)},
		Calendar:       &java.Calendar{Time: time.UnixMilli(1700000000123)},
		Statuses:       java.EnumSetOf(interop.Status_ACTIVE, interop.Status_SUSPENDED),
		Bits:           bits(1, 65, 200), AtomicLong: java.NewAtomicLong(-5), AtomicInteger: java.NewAtomicInteger(7),
		Ch: ptr(java.Char('x')), BoxedChar: ptr(java.Char('é')), Chars: ptr("chars €"),
		BoxedInts: []int32{1, -2, 300000}, BoxedLongs: []int64{math.MinInt64, 0},
		TreeMap: map[string]int32{"b": 2, "a": 1}, ConcurrentMap: map[string]int32{"k": 1},
		LinkedMap: ordered("z", int32(1), "a", int32(2), "m", int32(3)), LinkedList: []string{"x", "y"},
		Queue: []string{"first", "second"}, Objects: objects,
	}
}

// edgeJdkTypes is JdkTypes.edges(): the epoch and before it, Duration's
// extremes, nanoseconds, zones whose rules changed, a repeated wall time, an
// offset with seconds, the empty EnumSet and BitSet, the root locale, empty
// arrays and maps.
func edgeJdkTypes() *interop.JdkTypes {
	return &interop.JdkTypes{
		Timestamp: &java.Timestamp{Time: time.UnixMilli(-1)}, SqlDate: &java.SQLDate{Time: time.UnixMilli(0)},
		SqlTime: &java.SQLTime{Time: time.UnixMilli(0)}, Uuid: &java.UUID{}, Locale: &java.Locale{},
		Currency: &java.Currency{Code: "JPY"}, Duration: &java.Duration{Seconds: math.MinInt64},
		Period: &java.Period{Years: -1, Days: -31}, Year: ptr(java.Year(-50)), YearMonth: &java.YearMonth{Year: 0, Month: 12},
		MonthDay: &java.MonthDay{Month: 12, Day: 31}, ZoneOffset: &java.ZoneOffset{Seconds: -(5*3600 + 30*60 + 45)},
		ZoneId:         &java.ZoneID{ID: "+08:00"},
		ZonedDateTime:  &java.ZonedDateTime{Time: offsetAt(-5*time.Hour, 2024, 11, 3, 1, 30, 0, 999999999), ZoneID: "America/New_York"},
		OffsetDateTime: &java.OffsetDateTime{Time: offsetAt(18*time.Hour, 1969, 12, 31, 23, 59, 59, 999999999)},
		OffsetTime:     &java.OffsetTime{Time: offsetAt(0, 0, 1, 1, 0, 0, 0, 0)},
		Calendar:       &java.Calendar{Time: time.UnixMilli(0)}, Statuses: java.EnumSetOf[interop.Status](),
		Bits: &java.BitSet{}, AtomicLong: java.NewAtomicLong(math.MinInt64), AtomicInteger: java.NewAtomicInteger(math.MaxInt32),
		Ch: ptr(java.Char(0)), BoxedChar: ptr(java.Char(0xffff)), Chars: ptr(""),
		BoxedInts: []int32{}, BoxedLongs: []int64{}, TreeMap: map[string]int32{}, ConcurrentMap: map[string]int32{},
		LinkedMap: &java.Map{Type: "java.util.LinkedHashMap"}, LinkedList: []string{}, Queue: []string{},
		Objects: []java.Object{
			&java.Duration{Seconds: math.MaxInt64, Nanos: 999999999},
			&java.ZonedDateTime{Time: offsetAt(4*time.Hour, 2012, 1, 1, 12, 0, 0, 0), ZoneID: "Europe/Moscow"},
			&java.ZonedDateTime{Time: offsetAt(-3*time.Hour, 2019, 11, 3, 0, 30, 0, 0), ZoneID: "America/Sao_Paulo"},
			java.EnumSetOf[interop.Status](),
			typedList("[java.lang.Integer", int32(1), nil, int32(3)),
			&java.Map{Type: "java.util.LinkedHashMap"},
			&java.Timestamp{Time: time.UnixMilli(0)},
		},
	}
}

func jdkTypeCases() []Case {
	cases := []Case{
		echo("echoJdkTypes", sampleJdkTypes(), interopservice.Client.EchoJdkTypes),
		echo("echoJdkTypes/nulls", &interop.JdkTypes{Ch: ptr(java.Char(0))}, interopservice.Client.EchoJdkTypes), // a char has no null
		echo("echoJdkTypes/edges", edgeJdkTypes(), interopservice.Client.EchoJdkTypes),
		echo("echoTimestamp", &java.Timestamp{Time: time.UnixMilli(1700000000123)}, interopservice.Client.EchoTimestamp),
		echo("echoUUID", uuid("00112233-4455-6677-8899-aabbccddeeff"), interopservice.Client.EchoUUID),
		echo("echoDuration", &java.Duration{Seconds: -90061, Nanos: 5}, interopservice.Client.EchoDuration),
		echo("echoZonedDateTime", &java.ZonedDateTime{Time: offsetAt(-5*time.Hour, 2024, 11, 3, 1, 30, 0, 0), ZoneID: "America/New_York"},
			interopservice.Client.EchoZonedDateTime),
		echo("echoStatuses", java.EnumSetOf(interop.Status_SUSPENDED), interopservice.Client.EchoStatuses),
		echo("echoStatuses/empty", java.EnumSetOf[interop.Status](), interopservice.Client.EchoStatuses),
		echo("echoChar(char)", ptr(java.Char('€')), interopservice.Client.EchoChar),
		echo("echoCharacter", ptr(java.Char('é')), interopservice.Client.EchoCharacter),
		echo("echoChars(char[])", "héllo", interopservice.Client.EchoChars),
		echo("echoBoxedInts(Integer[])", []int32{1, -2, 1 << 20}, interopservice.Client.EchoBoxedInts),
		echo("echoBoxedLongs(Long[])", []int64{math.MaxInt64, -1}, interopservice.Client.EchoBoxedLongs),
		echo("echoTreeMap(TreeMap)", map[string]int32{"b": 2, "a": 1}, interopservice.Client.EchoTreeMap),
		echo("echoLinkedHashMap(LinkedHashMap)", ordered("z", int32(1), "a", int32(2), "m", int32(3)), interopservice.Client.EchoLinkedHashMap),
		echo("echoConcurrentMap(ConcurrentHashMap)", map[string]int32{"k": 1}, interopservice.Client.EchoConcurrentMap),
		echo("echoLinkedList(LinkedList)", []string{"x", "y"}, interopservice.Client.EchoLinkedList),
	}
	for _, o := range jdkObjects() {
		cases = append(cases, echo("echoObject("+o.name+")", o.v, interopservice.Client.EchoObject))
	}
	return cases
}
