package hessian2

// wire builds hand-made Hessian streams for tests, the shapes a hostile or
// unusual writer may send (in the spirit of protobuf-go's protopack).
type wire []byte

func (w wire) raw(b ...byte) wire  { return append(w, b...) }
func (w wire) str(s string) wire   { return AppendString(w, s) }
func (w wire) int32(v int32) wire  { return AppendInt32(w, v) }
func (w wire) varList() wire       { return append(w, tagListVar) }
func (w wire) end() wire           { return append(w, tagEnd) }
func (w wire) object(def int) wire { return append(w, byte(tagObjectDirect+def)) }
func (w wire) ref(i int32) wire    { return AppendInt32(append(w, tagRef), i) }
func (w wire) list(n int) wire     { return append(w, byte(tagListDirect+n)) } // n <= 7
func (w wire) typedList(typ string, n int32) wire {
	return AppendInt32(AppendString(append(w, tagListTyped), typ), n)
}

func (w wire) classDef(name string, fields ...string) wire {
	w = AppendString(append(w, tagClassDef), name)
	w = AppendInt32(w, int32(len(fields)))
	for _, f := range fields {
		w = AppendString(w, f)
	}
	return w
}

func (w wire) repeat(n int, b ...byte) wire {
	for range n {
		w = append(w, b...)
	}
	return w
}

// sharedChain is the list bomb: levels nested lists, each [next, ref(next)],
// so a walk that follows references without remembering them does 2^levels
// work on a stream of about 3*levels bytes.
func sharedChain(levels int) wire {
	w := wire{}.repeat(levels, tagListDirect+2).list(0)
	for i := levels; i >= 1; i-- {
		w = w.ref(int32(i))
	}
	return w
}
