package dubbo

import (
	"slices"
	"strings"
	"testing"

	"github.com/cloudwego/kitex/server"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

func TestDescribe(t *testing.T) {
	methods := []string{"Attach", "Big", "Fail", "Mix", "Nothing", "Notify", "echo", "greet", "sum"}
	for _, tc := range []struct {
		name string
		opts []Option
		want ServiceDescription
	}{
		{"from the IDL", nil, ServiceDescription{Interface: "org.example.GreetProvider", Methods: methods}},
		{"options", []Option{WithJavaClassName("org.other.Greet"), WithServiceVersion("1.0.0"), WithServiceGroup("g")},
			ServiceDescription{Interface: "org.other.Greet", Methods: methods, Version: "1.0.0", Group: "g"}},
		{"0.0.0 is no version", []Option{WithServiceVersion("0.0.0")}, ServiceDescription{Interface: "org.example.GreetProvider", Methods: methods}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := NewDubboCodec(tc.opts...).Describe(newGreetServiceInfo())
			if got.Interface != tc.want.Interface || got.Version != tc.want.Version || got.Group != tc.want.Group || !slices.Equal(got.Methods, tc.want.Methods) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
	if d := NewDubboCodec(WithJavaClassName("org.x.Y")).Describe(nil); d.Interface != "org.x.Y" || d.Methods != nil {
		t.Errorf("without service info: %+v", d)
	}
}

type testMetadata struct {
	App string `hessian:"app"`
}

func (*testMetadata) JavaClassName() string { return "org.apache.dubbo.metadata.MetadataInfo" }

func metadataRequest(t *testing.T, id int64, method, version, group, revision string) []byte {
	t.Helper()
	body, err := AppendRequestBody(nil, &Request{
		RequestHead: RequestHead{DubboVersion: DubboVersion, Path: MetadataServiceInterface, Version: version, Method: method, ParamTypes: MetadataServiceParams},
		Args:        []any{revision},
		Attachments: map[string]any{"group": group, "version": version},
	})
	if err != nil {
		t.Fatal(err)
	}
	return frameOf(Header{Request: true, TwoWay: true, Serialization: 2, ID: id}, body)
}

// Both servers answer MetadataService#getMetadataInfo once ServeMetadata is
// called, for that application and version 1.0.0 only, and stop when it is
// withdrawn; the connection keeps serving the real service.
func TestServeMetadata(t *testing.T) {
	for _, factory := range []bool{false, true} {
		t.Run(map[bool]string{false: "WithCodec", true: "factory"}[factory], func(t *testing.T) {
			codec := NewDubboCodec()
			opt := server.WithCodec(codec)
			if factory {
				opt = server.WithTransHandlerFactory(NewSvrTransHandlerFactory(codec))
			}
			c := dialRaw(t, startServer(t, &greetImpl{}, opt))

			c.send(metadataRequest(t, 1, MetadataServiceMethod, "1.0.0", "app", "r1"))
			if h, body := c.recv(); h.Status != StatusBadRequest {
				t.Fatalf("before ServeMetadata: %+v %q", h, body)
			}
			asked := make(chan string, 8)
			codec.ServeMetadata("app", func(rev string) any {
				asked <- rev
				return &testMetadata{App: "app"}
			})
			c.send(metadataRequest(t, 2, MetadataServiceMethod, "1.0.0", "app", "r1"))
			h, body := c.recv()
			r, err := DecodeResponseBody(body)
			if err != nil || h.Status != StatusOK || h.ID != 2 || r.Flag != ResponseValueWithAttachments {
				t.Fatalf("%+v %+v %v", h, r, err)
			}
			if o, ok := r.Value.(*hessian2.JavaObject); !ok || o.Class != "org.apache.dubbo.metadata.MetadataInfo" || o.Field("app") != "app" {
				t.Errorf("value %#v", r.Value)
			}
			if rev := <-asked; rev != "r1" {
				t.Errorf("asked for revision %q", rev)
			}
			for _, tc := range []struct {
				name                   string
				method, version, group string
				status                 Status
				text                   string
			}{
				{"another application", MetadataServiceMethod, "1.0.0", "other", StatusServiceError, "Not found exported service: other/org.apache.dubbo.metadata.MetadataService:1.0.0"},
				{"another version", MetadataServiceMethod, "2.0.0", "app", StatusServiceError, "Not found exported service"},
				{"another method", "getMetadataURL", "1.0.0", "app", StatusBadRequest, "Service not found:org.apache.dubbo.metadata.MetadataService, getMetadataURL"},
			} {
				c.send(metadataRequest(t, 3, tc.method, tc.version, tc.group, "r1"))
				h, body := c.recv()
				msg, _ := DecodeErrorBody(body)
				if h.Status != tc.status || !strings.Contains(msg, tc.text) {
					t.Errorf("%s: %v %q", tc.name, h.Status, msg)
				}
			}
			c.send(echoRequest(t, 4, "still"))
			if h, body := c.recv(); h.Status != StatusOK {
				t.Fatalf("the service after metadata calls: %+v %q", h, body)
			}
			codec.ServeMetadata("app", nil)
			c.send(metadataRequest(t, 5, MetadataServiceMethod, "1.0.0", "app", "r1"))
			if h, _ := c.recv(); h.Status != StatusServiceError {
				t.Fatalf("after withdrawing: %v", h.Status)
			}
		})
	}
}
