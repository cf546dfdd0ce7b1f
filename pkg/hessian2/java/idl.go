package java

import _ "embed"

// IDL is java.thrift, the Thrift side of this package, for user IDLs to include.
//
//go:embed java.thrift
var IDL []byte
