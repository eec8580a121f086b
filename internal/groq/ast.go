package groq

// This file defines the syntax tree the parser produces. Every node records Pos, the
// byte offset where it starts in the query. The tree is close to the source text; the
// builder (build.go) turns it into the evaluation tree with GROQ's traversal rules.

// Expr is a node of the syntax tree.
type Expr interface {
	Pos() int
}

// Literal is null, true, false, a number or a string.
type Literal struct {
	At  int
	Val value
	// String is true for a quoted string literal (an object key must be one).
	String bool
}

// Value returns the literal as a JSON-decoded Go value (nil, bool, float64 or string).
func (n *Literal) Value() any { return n.Val.toAny() }

// Everything is `*`.
type Everything struct{ At int }

// This is `@`.
type This struct{ At int }

// Parent is `^`, `^.^`, ...; N counts the carets.
type Parent struct {
	At int
	N  int
}

// Param is `$name`.
type Param struct {
	At   int
	Name string
}

// Ident is a bare attribute name such as `title`.
type Ident struct {
	At   int
	Name string
}

// ArrayLit is `[a, ...b]`.
type ArrayLit struct {
	At    int
	Elems []ArrayElem
}

// ArrayElem is one element of an array literal; Splat marks `...x`.
type ArrayElem struct {
	Splat bool
	X     Expr
}

// ObjectLit is `{...}`.
type ObjectLit struct {
	At      int
	Entries []ObjectEntry
}

// ObjectEntry is one entry of an object literal: `"key": x` (Key set), `x` (a value whose
// key is derived from it), `...x` (Splat) or a bare `...` (Splat with X nil).
type ObjectEntry struct {
	At     int
	Key    string
	HasKey bool
	Splat  bool
	X      Expr
}

// Group is `(x)`.
type Group struct {
	At int
	X  Expr
}

// Tuple is `(a, b, ...)`.
type Tuple struct {
	At int
	Xs []Expr
}

// Unary is `!x`, `-x` or `+x`.
type Unary struct {
	At int
	Op string
	X  Expr
}

// Binary is an infix operator: `||`, `&&`, a comparison, `in`, `match` or arithmetic.
type Binary struct {
	At    int
	Op    string
	OpPos int
	L, R  Expr
}

// Pair is `cond => value`, valid only inside select() and object literals.
type Pair struct {
	At   int
	L, R Expr
}

// InRange is `x in lo..hi` (Inclusive) or `x in lo...hi`.
type InRange struct {
	At        int
	X, Lo, Hi Expr
	Inclusive bool
}

// Call is a function call `ns::name(args)`; Namespace is "global" when none is written.
type Call struct {
	At        int
	Namespace string
	Name      string
	Args      []Expr
}

// Pipe is `base | name(args)`.
type Pipe struct {
	At   int
	Base Expr
	Call *Call
}

// Order is `x asc` or `x desc`, valid only as an argument of order().
type Order struct {
	At   int
	X    Expr
	Desc bool
}

// Chain is a primary expression followed by one or more traversals: `a.b[0]{c}`.
type Chain struct {
	At    int
	Base  Expr
	Items []Traversal
}

// TraversalKind tells the traversals apart.
type TraversalKind int

// The traversals.
const (
	TravAttr       TraversalKind = iota // .name
	TravBracket                         // [expr]
	TravSlice                           // [lo..hi] or [lo...hi]
	TravProjection                      // {…} or |{…}
	TravDeref                           // ->, ->name
	TravArray                           // []
	TravGroup                           // .( … ), valid only in selectors
)

// Traversal is one postfix step of a Chain.
type Traversal struct {
	At        int
	Kind      TraversalKind
	Name      string // TravAttr, TravDeref (may be empty)
	X         Expr   // TravBracket, TravGroup
	Lo, Hi    Expr   // TravSlice
	Inclusive bool   // TravSlice
	Object    *ObjectLit
}

func (n *Literal) Pos() int    { return n.At }
func (n *Everything) Pos() int { return n.At }
func (n *This) Pos() int       { return n.At }
func (n *Parent) Pos() int     { return n.At }
func (n *Param) Pos() int      { return n.At }
func (n *Ident) Pos() int      { return n.At }
func (n *ArrayLit) Pos() int   { return n.At }
func (n *ObjectLit) Pos() int  { return n.At }
func (n *Group) Pos() int      { return n.At }
func (n *Tuple) Pos() int      { return n.At }
func (n *Unary) Pos() int      { return n.At }
func (n *Binary) Pos() int     { return n.At }
func (n *Pair) Pos() int       { return n.At }
func (n *InRange) Pos() int    { return n.At }
func (n *Call) Pos() int       { return n.At }
func (n *Pipe) Pos() int       { return n.At }
func (n *Order) Pos() int      { return n.At }
func (n *Chain) Pos() int      { return n.At }
