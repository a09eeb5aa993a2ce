package filter

// The syntax tree of a filter is what the parser read, before any
// attribute is resolved: build.go turns it into nodes (node.go) against a
// resource type, and the tests compare it with the library the grammar is
// checked against.

// exprKind is the kind of a syntax tree node.
type exprKind uint8

const (
	exCompare   exprKind = iota // attr op val, or attr pr
	exAnd                       // x and y
	exOr                        // x or y
	exNot                       // not (x)
	exValuePath                 // attr[x]; y is Entra's ".sub op value", or -1
)

// expr is one node of a syntax tree; x and y index other nodes.
type expr struct {
	attr   string // attribute path as written
	val    string // comparison value, decoded
	pos    int32  // byte offset of attr
	x, y   int32
	kind   exprKind
	op     uint8 // index of the operator in operators
	plain  bool  // attr is a bare attribute name: no URN, no sub-attribute
	quoted bool  // val was a quoted string
}

// exprs holds a syntax tree: a few nodes in place (a parser lives on the
// stack), more on the heap.
type exprs struct {
	n     int32
	small [3]expr
	more  []expr
}

func (t *exprs) add(e expr) int32 {
	if int(t.n) < len(t.small) {
		t.small[t.n] = e
	} else {
		t.more = append(t.more, e)
	}
	t.n++
	return t.n - 1
}

func (t *exprs) at(i int32) *expr {
	if int(i) < len(t.small) {
		return &t.small[i]
	}
	return &t.more[int(i)-len(t.small)]
}
