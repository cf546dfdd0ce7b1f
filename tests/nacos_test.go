package tests

import (
	"encoding/json"
	"net/url"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
)

// The application name java-interop's provider registers under.
const javaProviderApp = "kitexdubbo-interop-provider"

// The Java provider registers in a real Nacos server (rnacos) in Dubbo's
// default mode, and the Java consumer finds it and runs every case, once
// through the interface-level entries and once through the application-level
// ones (the interface-to-application mapping Dubbo publishes as the Nacos
// config dataId=<interface>, group=mapping). Then the server restarts: the
// mapping is still there, the provider registers again by itself, and both
// kinds of discovery work again.
func TestJavaProviderInNacos(t *testing.T) {
	nacos := testenv.Nacos(t)
	port := testenv.FreePort(t, "::1")
	testenv.Start(t, "Dubbo-Java provider", javaWithHome(t, "org.kitexdubbo.interop.Provider",
		"-port", strconv.Itoa(port), "-registry", nacos.URL()), 3*time.Minute)
	// READY is printed once the exports are registered; the application-level
	// instance and the mapping may follow a moment later.
	waitJavaProviderInNacos(t, nacos, port, time.Minute)
	checkJavaProviderInNacos(t, nacos, port)
	runJavaConsumersViaNacos(t, nacos)

	t.Run("after a Nacos restart", func(t *testing.T) {
		nacos.Restart(t)
		// Configs are kept on disk, instances are not.
		if got := nacosConfig(t, nacos, JavaInterface, "mapping"); got != javaProviderApp {
			t.Fatalf("mapping after the restart: %q, want %q", got, javaProviderApp)
		}
		start := time.Now()
		waitJavaProviderInNacos(t, nacos, port, 2*time.Minute)
		t.Logf("the provider's instances were back %v after the restart", time.Since(start).Round(100*time.Millisecond))
		runJavaConsumersViaNacos(t, nacos)
	})
}

// runJavaConsumersViaNacos runs the Java consumer twice: interface-level
// discovery only, then application-level only.
func runJavaConsumersViaNacos(t *testing.T, nacos *testenv.NacosServer) {
	t.Helper()
	for _, discovery := range []string{"interface", "application"} {
		t.Run(discovery, func(t *testing.T) {
			requirePassed(t, runConsumer(t, "Dubbo-Java consumer", javaWithHome(t,
				"org.kitexdubbo.interop.Consumer", "-registry", nacos.URL(), "-discovery", discovery, "-peer", "java")))
		})
	}
}

// javaWithHome is testenv.JavaCommand with the JVM's user.home in a
// temporary directory of the test (nacos-client keeps its naming and config
// snapshots under ~/nacos, Dubbo its caches under ~/.dubbo; shared, they
// would carry one run's registry contents into the next) and QoS off.
func javaWithHome(t *testing.T, mainClass string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := testenv.JavaCommand(t, mainClass, args...)
	cmd.Args = slices.Insert(cmd.Args, 1, "-Duser.home="+t.TempDir(), "-Ddubbo.application.qos-enable=false")
	return cmd
}

// nacosService is one answer of rnacos's /nacos/v1/ns/instance/list.
type nacosService struct {
	Name  string          `json:"name"`
	Hosts []nacosInstance `json:"hosts"`
}

type nacosInstance struct {
	InstanceID  string            `json:"instanceId"`
	IP          string            `json:"ip"`
	Port        int               `json:"port"`
	Weight      float64           `json:"weight"`
	Healthy     bool              `json:"healthy"`
	Enabled     bool              `json:"enabled"`
	Ephemeral   bool              `json:"ephemeral"`
	ClusterName string            `json:"clusterName"`
	ServiceName string            `json:"serviceName"`
	Metadata    map[string]string `json:"metadata"`
}

// nacosInstances lists a service's instances in the default namespace and
// group; raw is the body as rnacos gave it.
func nacosInstances(t *testing.T, nacos *testenv.NacosServer, service string) (s nacosService, raw []byte) {
	t.Helper()
	code, body := nacos.Get(t, "/nacos/v1/ns/instance/list", url.Values{"serviceName": {service}})
	if code != 200 {
		t.Fatalf("instance list of %s: %d %s", service, code, body)
	}
	if err := json.Unmarshal(body, &s); err != nil {
		t.Fatalf("instance list of %s: %v: %s", service, err, body)
	}
	return s, body
}

// nacosConfig is a config's content in the default namespace, "" when it
// does not exist.
func nacosConfig(t *testing.T, nacos *testenv.NacosServer, dataID, group string) string {
	t.Helper()
	code, body := nacos.Get(t, "/nacos/v1/cs/configs", url.Values{"dataId": {dataID}, "group": {group}})
	switch code {
	case 200:
		return string(body)
	case 404:
		return ""
	}
	t.Fatalf("config %s/%s: %d %s", group, dataID, code, body)
	return ""
}

// The service names Dubbo-Java 3.3 registers for java-interop's two exports
// (plain, and 2.0.0 in group gray) and for the application.
var javaNacosServices = []string{
	"providers:" + JavaInterface + "::",
	"providers:" + JavaInterface + ":2.0.0:gray",
	javaProviderApp,
}

// waitJavaProviderInNacos waits until each of the provider's services has
// its instance at port and the mapping config names the provider.
func waitJavaProviderInNacos(t *testing.T, nacos *testenv.NacosServer, port int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		missing := ""
		for _, name := range javaNacosServices {
			s, _ := nacosInstances(t, nacos, name)
			if len(s.Hosts) != 1 || s.Hosts[0].Port != port {
				missing = name
				break
			}
		}
		if missing == "" && nacosConfig(t, nacos, JavaInterface, "mapping") == "" {
			missing = "the mapping config"
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v the provider is not fully registered in Nacos (%s missing)\n--- rnacos:\n%s", timeout, missing, nacos.Log())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// checkJavaProviderInNacos checks the entries a Dubbo-Java 3.3 provider
// leaves in Nacos, the formats a Go adapter must read and write (they are
// logged, and docs/NACOS-FACTS.md records them).
func checkJavaProviderInNacos(t *testing.T, nacos *testenv.NacosServer, port int) {
	t.Helper()
	_, body := nacos.Get(t, "/nacos/v1/ns/service/list", url.Values{"pageNo": {"1"}, "pageSize": {"100"}})
	t.Logf("service list: %s", body)
	var list struct {
		Count int      `json:"count"`
		Doms  []string `json:"doms"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	slices.Sort(list.Doms)
	want := slices.Clone(javaNacosServices)
	slices.Sort(want)
	// Only providers register: Dubbo's Nacos registry leaves consumers out by default.
	if !slices.Equal(list.Doms, want) {
		t.Errorf("services %q, want %q", list.Doms, want)
	}

	for _, name := range javaNacosServices {
		s, raw := nacosInstances(t, nacos, name)
		t.Logf("instances of %s: %s", name, raw)
		h := s.Hosts[0]
		// Dubbo gives Nacos the host as it prints it in URLs: an IPv6
		// address in brackets.
		if h.IP != "[::1]" || h.Port != port || !h.Ephemeral || !h.Healthy || !h.Enabled || h.Weight != 1 || h.ClusterName != "DEFAULT" {
			t.Errorf("%s: instance %+v, want [::1]:%d, ephemeral, healthy, enabled, weight 1, cluster DEFAULT", name, h, port)
		}
		if s.Name != "DEFAULT_GROUP@@"+name {
			t.Errorf("%s: name %q, want the group DEFAULT_GROUP@@ in front", name, s.Name)
		}
		md := h.Metadata
		if name == javaProviderApp {
			checkInstanceMetadata(t, md, port)
			continue
		}
		for k, v := range map[string]string{"category": "providers", "protocol": "dubbo", "path": JavaInterface,
			"interface": JavaInterface, "side": "provider", "application": javaProviderApp, "dubbo": "2.0.2"} {
			if md[k] != v {
				t.Errorf("%s: metadata %s=%q, want %q", name, k, md[k], v)
			}
		}
		wantVersion, wantGroup := "", ""
		if strings.HasSuffix(name, ":gray") {
			wantVersion, wantGroup = "2.0.0", "gray"
		}
		// An export without version or group has no such key (not an empty one).
		for k, want := range map[string]string{"version": wantVersion, "group": wantGroup} {
			if v, ok := md[k]; ok != (want != "") || v != want {
				t.Errorf("%s: metadata %s=%q (present %v), want %q", name, k, v, ok, want)
			}
		}
		if !strings.Contains(","+md["methods"]+",", ",echoString,") {
			t.Errorf("%s: methods %q lack echoString", name, md["methods"])
		}
	}

	if got := nacosConfig(t, nacos, JavaInterface, "mapping"); got != javaProviderApp {
		t.Errorf("mapping config %q, want %q", got, javaProviderApp)
	}
	_, body = nacos.Get(t, "/nacos/v1/cs/configs", url.Values{"search": {"blur"}, "dataId": {""}, "group": {""},
		"pageNo": {"1"}, "pageSize": {"100"}})
	var configs struct {
		PageItems []struct {
			Tenant  string `json:"tenant"`
			Group   string `json:"group"`
			DataID  string `json:"dataId"`
			Content string `json:"content"`
		} `json:"pageItems"`
	}
	if err := json.Unmarshal(body, &configs); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range configs.PageItems {
		got = append(got, c.Tenant+"|"+c.Group+"|"+c.DataID)
		content := c.Content
		if len(content) > 300 {
			content = content[:300] + "..."
		}
		t.Logf("config tenant=%q group=%q dataId=%q: %s", c.Tenant, c.Group, c.DataID, content)
	}
	slices.Sort(got)
	// The mapping, and the service definitions Dubbo's metadata report
	// writes (dataId <interface>:<version>:<group>:provider:<app>, group dubbo).
	wantConfigs := []string{
		"|dubbo|" + JavaInterface + ":2.0.0:gray:provider:" + javaProviderApp,
		"|dubbo|" + JavaInterface + ":::provider:" + javaProviderApp,
		"|mapping|" + JavaInterface,
	}
	slices.Sort(wantConfigs)
	if !slices.Equal(got, wantConfigs) {
		t.Errorf("configs %q, want %q", got, wantConfigs)
	}
}

// checkInstanceMetadata checks an application-level instance's metadata:
// the same keys Dubbo writes to ZooKeeper's /services.
func checkInstanceMetadata(t *testing.T, md map[string]string, port int) {
	t.Helper()
	if rev := md["dubbo.metadata.revision"]; rev == "" || rev == "0" {
		t.Errorf("dubbo.metadata.revision %q, want a revision", rev)
	}
	for k, v := range map[string]string{"dubbo.metadata.storage-type": "local", "meta-v": "1.0.0"} {
		if md[k] != v {
			t.Errorf("instance metadata %s=%q, want %q", k, md[k], v)
		}
	}
	var endpoints []struct {
		Port     int    `json:"port"`
		Protocol string `json:"protocol"`
	}
	if err := json.Unmarshal([]byte(md["dubbo.endpoints"]), &endpoints); err != nil || len(endpoints) != 1 ||
		endpoints[0].Port != port || endpoints[0].Protocol != "dubbo" {
		t.Errorf("dubbo.endpoints %q, want [{port %d, dubbo}] (%v)", md["dubbo.endpoints"], port, err)
	}
	var params map[string]string
	if err := json.Unmarshal([]byte(md["dubbo.metadata-service.url-params"]), &params); err != nil ||
		params["port"] != strconv.Itoa(port) || params["protocol"] != "dubbo" || params["version"] != "1.0.0" {
		t.Errorf("dubbo.metadata-service.url-params %q, want port %d, protocol dubbo, version 1.0.0 (%v)",
			md["dubbo.metadata-service.url-params"], port, err)
	}
}
