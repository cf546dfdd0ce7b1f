package hessian2

// refChunk is how many back-reference entries a table holds per chunk past
// its first. A table grown by append copies itself at every growth, and with
// Go's 1.25x growth of large slices that allocates about five times what it
// finally holds; chunks are never copied, so a long stream's table allocates
// what it holds (16 bytes per value read) and the budget's costRef covers it.
const refChunk = 1024

// refTable numbers the values a stream has read, for back-references. The
// first chunk grows by append (small streams allocate little, and a pooled
// Decoder keeps it), later ones are made whole.
type refTable struct {
	first []any
	more  [][]any
	n     int
	// byAddr marks the entries that hold the address of what they stand
	// for (setAddr): a list the reflective path read, whose slice would
	// take an allocation to box.
	byAddr []uint64
}

func (t *refTable) len() int { return t.n }

func (t *refTable) add(v any) int {
	i := t.n
	t.n++
	if i < refChunk {
		t.first = append(t.first, v)
		return i
	}
	c := (i - refChunk) / refChunk
	if c == len(t.more) {
		t.more = append(t.more, make([]any, 0, refChunk))
	}
	t.more[c] = append(t.more[c], v)
	return i
}

func (t *refTable) slot(i int) *any {
	if i < refChunk {
		return &t.first[i]
	}
	i -= refChunk
	return &t.more[i/refChunk][i%refChunk]
}

func (t *refTable) get(i int) any { return *t.slot(i) }

func (t *refTable) set(i int, v any) { *t.slot(i) = v }

// setAddr binds entry i to the value p points to.
func (t *refTable) setAddr(i int, p any) {
	*t.slot(i) = p
	w := i / 64
	for len(t.byAddr) <= w {
		t.byAddr = append(t.byAddr, 0)
	}
	t.byAddr[w] |= 1 << (i % 64)
}

// isAddr reports whether entry i holds an address (setAddr).
func (t *refTable) isAddr(i int) bool {
	w := i / 64
	return w < len(t.byAddr) && t.byAddr[w]&(1<<(i%64)) != 0
}

// reset empties the table, keeping the first chunk for the next stream and
// letting go of the values read.
func (t *refTable) reset() {
	clear(t.first)
	clear(t.byAddr)
	t.first, t.more, t.n, t.byAddr = t.first[:0], nil, 0, t.byAddr[:0]
}
