package tests

import (
	"fmt"

	"github.com/cloudwego/kitex/server"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
)

// ServerHandler is the Kitex server option for a Dubbo handler named as the
// peer programs' -handler flag names it: "factory"
// (dubbo.NewSvrTransHandlerFactory, what Dubbo-Java consumers need, since
// they multiplex calls over one connection) or "codec" (server.WithCodec
// alone).
func ServerHandler(name string, codec *dubbo.DubboCodec) (server.Option, error) {
	switch name {
	case "factory":
		return server.WithTransHandlerFactory(dubbo.NewSvrTransHandlerFactory(codec)), nil
	case "codec":
		return server.WithCodec(codec), nil
	}
	return server.Option{}, fmt.Errorf("-handler is factory or codec, not %q", name)
}
