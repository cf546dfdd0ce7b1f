package hessian2

// Class definitions are per stream, but a service sends the same few classes
// in every body: writing and parsing them anew each time is most of the cost
// of a small message. So the Encoder keeps each class definition's bytes, and
// the Decoder each parsed definition (with its field mappings for generated
// code), process-wide, keyed by what identifies them: the fields slice (or
// type) a writer passes, the raw bytes a reader meets. Both caches are
// bounded, since a hostile peer decides what classes a reader meets; past the
// bound, definitions are simply not cached.

import (
	"encoding/binary"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
)

const (
	maxCachedClasses  = 4096 // entries per cache
	maxCachedClassDef = 4096 // bytes of one definition
)

// classBytes maps a class key (see Encoder.objectStart) to its definition.
var classBytes struct {
	m sync.Map // key -> *cachedClass
	n atomic.Int64
}

type cachedClass struct {
	class string
	def   []byte // 'C', the name, the count, the field names
}

// appendClassDef appends the definition of class (fields) to b, from the
// cache when key has one for this class.
func appendClassDef(b []byte, key any, class string, fields []string) []byte {
	if v, ok := classBytes.m.Load(key); ok {
		if c := v.(*cachedClass); c.class == class {
			return append(b, c.def...)
		}
	}
	start := len(b)
	b = append(b, tagClassDef)
	b = AppendString(b, class)
	b = AppendInt32(b, int32(len(fields)))
	for _, f := range fields {
		b = AppendString(b, f)
	}
	if def := b[start:]; len(def) <= maxCachedClassDef && classBytes.n.Load() < maxCachedClasses {
		if _, loaded := classBytes.m.LoadOrStore(key, &cachedClass{class, slices.Clone(def)}); !loaded {
			classBytes.n.Add(1)
		}
	}
	return b
}

// parsedClasses maps a definition's raw bytes (after 'C') to its parse. Every
// body a service reads looks classes up here, on every core at once, so the
// entries found most are in a map that is only read (no lock, nothing
// written to a shared cache line); new ones wait in dirty, under mu, and move
// over, the maps merged into a new read-only one, once they have been found
// there as many times as dirty has entries (as sync.Map does, which cannot
// take the raw bytes as a key without a copy).
var parsedClasses struct {
	read   atomic.Pointer[map[string]*classDef]
	mu     sync.Mutex
	dirty  map[string]*classDef
	hits   int // lookups dirty answered since it was last merged
	cached int // entries in read and dirty
}

// cachedClassDef returns the parsed definition starting at b[pos] (after the
// 'C') and where it ends, when the cache has it.
func cachedClassDef(b []byte, pos int) (*classDef, int) {
	end, ok := scanClassDef(b, pos)
	if !ok || end-pos > maxCachedClassDef {
		return nil, 0
	}
	if m := parsedClasses.read.Load(); m != nil {
		if def := (*m)[string(b[pos:end])]; def != nil {
			return def, end
		}
	}
	pc := &parsedClasses
	pc.mu.Lock()
	defer pc.mu.Unlock()
	def := pc.dirty[string(b[pos:end])]
	if def != nil {
		if pc.hits++; pc.hits >= len(pc.dirty) {
			var read map[string]*classDef
			if m := pc.read.Load(); m != nil {
				read = *m
			}
			merged := make(map[string]*classDef, len(read)+len(pc.dirty))
			maps.Copy(merged, read)
			maps.Copy(merged, pc.dirty)
			pc.read.Store(&merged)
			pc.dirty, pc.hits = nil, 0
		}
	}
	return def, end
}

func cacheClassDef(raw []byte, def *classDef) {
	if len(raw) > maxCachedClassDef {
		return
	}
	pc := &parsedClasses
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.cached >= maxCachedClasses {
		return
	}
	if m := pc.read.Load(); m != nil && (*m)[string(raw)] != nil {
		return
	}
	if pc.dirty == nil {
		pc.dirty = make(map[string]*classDef)
	}
	if pc.dirty[string(raw)] == nil {
		pc.cached++
		def.shared, def.raw = true, string(raw)
		pc.dirty[def.raw] = def
	}
}

// recentClassDef returns the definition at d.pos (after the 'C') and where
// it ends, when it is one of those the decoder met last.
func (d *Decoder) recentClassDef() (*classDef, int) {
	rest := d.b[d.pos:]
	for _, def := range d.recent {
		if def != nil && len(def.raw) <= len(rest) && string(rest[:len(def.raw)]) == def.raw {
			return def, d.pos + len(def.raw)
		}
	}
	return nil, 0
}

// remember makes def one of the decoder's recent definitions.
func (d *Decoder) remember(def *classDef) {
	d.recent[d.nextRecent] = def
	d.nextRecent = (d.nextRecent + 1) % len(d.recent)
}

// scanClassDef finds the end of a class definition (a name, a count, that
// many names) without allocating, or reports false for anything unusual,
// which then takes the ordinary path.
func scanClassDef(b []byte, pos int) (int, bool) {
	pos, ok := scanString(b, pos)
	if !ok || pos >= len(b) {
		return 0, false
	}
	var n int
	switch tag := b[pos]; {
	case tag >= 0x80 && tag <= 0xbf:
		n = int(tag) - intDirectZero
		pos++
	case tag >= 0xc0 && tag <= 0xcf && pos+1 < len(b):
		n = (int(tag)-intByteZero)<<8 | int(b[pos+1])
		pos += 2
	default:
		return 0, false
	}
	if n < 0 || n > len(b)-pos {
		return 0, false
	}
	for range n {
		if pos, ok = scanString(b, pos); !ok {
			return 0, false
		}
	}
	return pos, true
}

// scanString skips an unchunked string of ASCII characters (what class and
// field names are), reporting false for any other form.
func scanString(b []byte, pos int) (int, bool) {
	if pos >= len(b) {
		return 0, false
	}
	var n int
	switch tag := b[pos]; {
	case tag <= stringDirectMax:
		n, pos = int(tag), pos+1
	case tag >= stringShortTag && tag <= stringShortTag+3 && pos+1 < len(b):
		n, pos = int(tag-stringShortTag)<<8|int(b[pos+1]), pos+2
	case tag == tagString && pos+2 < len(b):
		n, pos = int(binary.BigEndian.Uint16(b[pos+1:])), pos+3
	default:
		return 0, false
	}
	if n > len(b)-pos || !isASCIIBytes(b[pos:pos+n]) {
		return 0, false
	}
	return pos + n, true
}
