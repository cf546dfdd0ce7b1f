package hessian2

// Tag bytes of the Hessian 2.0 serialization protocol
// (http://hessian.caucho.com/doc/hessian-serialization.html, section 3 "Hessian Grammar"),
// named as in the spec. Ranges give the first byte of a compact form; the value is
// encoded in the tag itself relative to the *Zero constant.
const (
	tagNull  = 'N'
	tagTrue  = 'T'
	tagFalse = 'F'

	// int (spec 4.7): 1, 2, 3 or 5 bytes.
	tagInt          = 'I'
	intDirectMin    = -0x10
	intDirectMax    = 0x2f
	intDirectZero   = 0x90 // 0x80..0xbf
	intByteMin      = -0x800
	intByteMax      = 0x7ff
	intByteZero     = 0xc8 // 0xc0..0xcf
	intShortMin     = -0x40000
	intShortMax     = 0x3ffff
	intShortZero    = 0xd4 // 0xd0..0xd7
	tagLong         = 'L'
	longDirectMin   = -0x08
	longDirectMax   = 0x0f
	longDirectZero  = 0xe0 // 0xd8..0xef
	longByteMin     = -0x800
	longByteMax     = 0x7ff
	longByteZero    = 0xf8 // 0xf0..0xff
	longShortMin    = -0x40000
	longShortMax    = 0x3ffff
	longShortZero   = 0x3c // 0x38..0x3f
	tagLongInt32    = 0x59 // long held in 4 bytes
	tagDouble       = 'D'
	tagDoubleZero   = 0x5b
	tagDoubleOne    = 0x5c
	tagDoubleByte   = 0x5d
	tagDoubleShort  = 0x5e
	tagDoubleMill   = 0x5f // Caucho and hessian-lite write an int of value*1000 here, not a float32 as the spec says
	tagDateMillis   = 0x4a
	tagDateMinutes  = 0x4b
	tagStringChunk  = 'R'
	tagString       = 'S'
	stringDirectMax = 0x1f // 0x00..0x1f: length in the tag
	stringShortTag  = 0x30 // 0x30..0x33: 2-byte length
	stringShortMax  = 0x3ff
	tagBinaryChunk  = 'A'
	tagBinary       = 'B'
	binaryDirectTag = 0x20 // 0x20..0x2f
	binaryDirectMax = 0x0f
	binaryShortTag  = 0x34 // 0x34..0x37
	binaryShortMax  = 0x3ff

	// list (spec 4.9) and map (4.10).
	tagListTypedVar    = 0x55
	tagListTyped       = 'V'
	tagListVar         = 0x57
	tagList            = 0x58
	tagListTypedDirect = 0x70 // 0x70..0x77
	tagListDirect      = 0x78 // 0x78..0x7f
	listDirectMax      = 7
	tagMapTyped        = 'M'
	tagMap             = 'H'
	tagEnd             = 'Z'

	// object (spec 4.11) and ref (4.13).
	tagClassDef     = 'C'
	tagObject       = 'O'
	tagObjectDirect = 0x60 // 0x60..0x6f
	objectDirectMax = 0x0f
	tagRef          = 0x51

	// chunkUnits is where Caucho splits long strings and binaries; we do the same so
	// byte-for-byte output matches Java's.
	chunkUnits = 0x8000
)
