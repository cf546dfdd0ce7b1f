// Command greet is the README's demo: a Kitex server and a Kitex client talking
// the Dubbo protocol (hessian2) to each other on loopback, as they would to
// Dubbo-Java. The code under kitex_gen was made by the stock Kitex CLI and
// kitexdubbo-gen from api.thrift (see generate.sh).
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"time"

	"github.com/bytedance/gopkg/cloud/metainfo"
	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/klog"
	"github.com/cloudwego/kitex/server"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
	"github.com/kitexdubbo/kitexdubbo/samples/greet/kitex_gen/greet"
	"github.com/kitexdubbo/kitexdubbo/samples/greet/kitex_gen/greet/greetservice"
)

const javaInterface = "org.example.greet.GreetProvider"

type handler struct{}

func (handler) Greet(ctx context.Context, req *greet.GreetRequest) (*greet.GreetResponse, error) {
	if req.Name == "" {
		return nil, &greet.GreetException{Reason: "name is empty"}
	}
	n := int(req.GetTimes())
	if n == 0 {
		n = 1
	}
	resp := &greet.GreetResponse{Counts: map[string]int64{"letters": int64(len(req.Name))}}
	for i := 0; i < n; i++ {
		resp.Lines = append(resp.Lines, fmt.Sprintf("hello #%d, %s", i+1, req.Name))
	}
	resp.Message = "hello, " + req.Name
	if tenant, ok := metainfo.GetValue(ctx, "tenant"); ok {
		resp.Message += " (tenant " + tenant + ")"
	}
	metainfo.SendBackwardValue(ctx, "served-by", "kitex-demo")
	return resp, nil
}

func (handler) Sum(ctx context.Context, a int32, b []int32) (int64, error) {
	if len(b) == 0 {
		return 0, errors.New("nothing to add to")
	}
	s := int64(a)
	for _, x := range b {
		s += int64(x)
	}
	return s, nil
}

func (handler) EchoBool(ctx context.Context, b bool) (string, error) {
	return fmt.Sprintf("echo(boolean %v)", b), nil
}
func (handler) EchoString(ctx context.Context, s string) (string, error) {
	return "echo(String " + s + ")", nil
}
func (handler) Ping(ctx context.Context) error { return nil }

func main() {
	klog.SetLevel(klog.LevelFatal) // the demo provokes handler errors on purpose
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	ln.Close()

	codec := dubbo.NewDubboCodec(dubbo.WithJavaClassName(javaInterface))
	svr := greetservice.NewServer(&handler{}, server.WithServiceAddr(addr), server.WithCodec(codec))
	go func() {
		if err := svr.Run(); err != nil {
			log.Fatal(err)
		}
	}()
	defer svr.Stop()
	waitForPort(addr.String())
	fmt.Printf("Kitex server speaking Dubbo as %s on %s\n", javaInterface, addr)

	cli := greetservice.MustNewClient("greet", client.WithHostPorts(addr.String()),
		client.WithCodec(dubbo.NewDubboCodec(dubbo.WithJavaClassName(javaInterface))),
		client.WithRPCTimeout(3*time.Second))
	if err := run(cli); err != nil {
		fmt.Fprintln(os.Stderr, "demo failed:", err)
		svr.Stop()
		os.Exit(1)
	}
}

func run(cli greetservice.Client) error {
	ctx := metainfo.WithValue(metainfo.WithBackwardValues(context.Background()), "tenant", "acme")
	times := int32(2)
	resp, err := cli.Greet(ctx, &greet.GreetRequest{Name: "dubbo", Times: &times})
	if err != nil {
		return err
	}
	servedBy, _ := metainfo.RecvBackwardValue(ctx, "served-by")
	fmt.Printf("Greet(dubbo, 2)      -> %q lines=%q counts=%v (response attachment served-by=%s)\n", resp.Message, resp.Lines, resp.Counts, servedBy)

	_, err = cli.Greet(context.Background(), &greet.GreetRequest{})
	var ge *greet.GreetException
	if !errors.As(err, &ge) {
		return fmt.Errorf("Greet(\"\"): want *greet.GreetException, got %v", err)
	}
	fmt.Printf("Greet(\"\")            -> IDL exception %T{Reason: %q}\n", ge, ge.Reason)

	sum, err := cli.Sum(context.Background(), 1, []int32{2, 3, 4})
	if err != nil {
		return err
	}
	fmt.Printf("Sum(1, int[]{2,3,4}) -> %d\n", sum)

	_, err = cli.Sum(context.Background(), 1, nil)
	var je *hessian2.JavaException
	if !errors.As(err, &je) {
		return fmt.Errorf("Sum(1, nil): want a Java exception, got %v", err)
	}
	fmt.Printf("Sum(1, null)         -> Java exception %s: %q\n", je.Class, je.Message)

	for _, call := range []func() (string, error){
		func() (string, error) { return cli.EchoBool(context.Background(), true) },
		func() (string, error) { return cli.EchoString(context.Background(), "hi") },
	} {
		s, err := call()
		if err != nil {
			return err
		}
		fmt.Printf("echo overload        -> %s\n", s)
	}
	if err := cli.Ping(context.Background()); err != nil {
		return err
	}
	fmt.Println("Ping()               -> void")
	return nil
}

func waitForPort(addr string) {
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	log.Fatalf("server on %s did not start", addr)
}
