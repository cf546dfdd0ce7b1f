package tests

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
)

const (
	colKitexToDubboGo = "Kitex → dubbo-go"
	colDubboGoToKitex = "dubbo-go → Kitex"
)

// dubboGoKnown are the cases dubbo-go v3.3.0 (dubbo-go-hessian2 v1.12.5)
// gets wrong by itself; tests/dubbogo/README.md has the bytes.
var dubboGoKnown = map[string]string{
	"echoOptionals/set":   "dubbo-go-hessian2 reads an empty untyped list into a typed slice field as nil (Optionals.ints)",
	"echoTree":            "dubbo-go-hessian2 reads an empty untyped list into a typed slice field as nil (Tree.children)",
	"echoJavaTypes/nulls": "dubbo-go-hessian2 writes a nil []interface{} as an empty list, not null (JavaTypes.objects)",

	"echoJdkTypes":                     jdkTypesNotMirrored,
	"echoJdkTypes/nulls":               jdkTypesNotMirrored,
	"echoJdkTypes/edges":               jdkTypesNotMirrored,
	"echoObject(String[])":             "dubbo-go-hessian2 reads a null element of a String[] as \"\"",
	"echoObject(LinkedList)":           typedListUntyped,
	"echoObject(TreeSet)":              typedListUntyped,
	"echoObject(TreeMap)":              typedMapUntyped,
	"echoObject(ConcurrentHashMap)":    typedMapUntyped,
	"echoObject(LinkedHashMap)":        typedMapUntyped,
	"echoLinkedHashMap(LinkedHashMap)": typedMapUntyped,
}

const (
	jdkTypesNotMirrored = "no JdkTypes POJO in the dubbo-go peer: dubbo-go-hessian2 has no Go types for java.sql.Timestamp, EnumSet, BitSet, Calendar, Currency, AtomicLong or AtomicInteger"
	typedListUntyped    = "dubbo-go-hessian2 writes a typed list it read (java.util.LinkedList, TreeSet) back untyped, so Java would get an ArrayList"
	typedMapUntyped     = "dubbo-go-hessian2 writes a typed map it read (TreeMap, ConcurrentHashMap, LinkedHashMap) back untyped, so Java would get a HashMap"
)

func dubboGoDir(t *testing.T) string { return filepath.Join(testenv.Root(t), "tests", "dubbogo") }

// Every case from a Kitex client against a dubbo-go v3 provider.
func TestDubboGoProvider(t *testing.T) {
	bin := testenv.GoBuild(t, dubboGoDir(t), "./provider", "dubbogo-provider")
	port := testenv.FreePort(t, "127.0.0.1")
	p := testenv.Start(t, "dubbo-go provider", exec.Command(bin, "-port", strconv.Itoa(port)), 2*time.Minute)
	runCases(t, colKitexToDubboGo, newClient(t, fmt.Sprintf("127.0.0.1:%d", p.Port)), dubboGoKnown)
}

// The dubbo-go v3 consumer runs its cases against a Kitex server.
func TestDubboGoConsumer(t *testing.T) {
	bin := testenv.GoBuild(t, dubboGoDir(t), "./consumer", "dubbogo-consumer")
	addr := startDubboServer(t, "127.0.0.1")
	runPeerConsumer(t, colDubboGoToKitex, "dubbo-go consumer", exec.Command(bin, "-addr", addr), dubboGoKnown)
}
