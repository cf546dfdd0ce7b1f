package hessian2

import (
	"reflect"
	"unsafe"
)

func unsafePointer(p any) unsafe.Pointer { return reflect.ValueOf(p).UnsafePointer() }

var javaExceptionType = reflect.TypeOf((*JavaException)(nil))
