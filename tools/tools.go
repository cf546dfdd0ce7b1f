//go:build tools

// Package tools pins the Kitex CLI version the generator tests and README use.
package tools

import _ "github.com/cloudwego/kitex/tool/cmd/kitex"
