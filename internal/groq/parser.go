package groq

import (
	"strconv"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of expressions (parentheses, arrays, objects, function
// arguments, unary and right-hand operands) a query may have. Deeper input is a clean
// compile error, so a hostile query can never exhaust the stack.
const MaxDepth = 64

// Binding levels, as in groq-js: an operand parsed at level L stops before any operator
// that binds looser than L.
const (
	levelPair   = 1  // =>
	levelOr     = 2  // ||
	levelAnd    = 3  // &&
	levelCmp    = 4  // == != < <= > >= in match, asc desc
	levelAdd    = 6  // + -
	levelMul    = 7  // * / %
	levelPow    = 8  // ** and unary minus
	levelPrefix = 10 // ! and unary plus
	levelPipe   = 11 // |
	levelTop    = 12
)

// Parse parses a GROQ expression into its syntax tree. It accepts any GROQ expression
// (not only listen queries); Compile narrows that down.
func Parse(query string) (Expr, error) {
	x, err := parse(query)
	if err != nil {
		return nil, err
	}
	return x, nil
}

func parse(src string) (Expr, *Error) {
	if !utf8.ValidString(src) {
		for i := 0; i < len(src); {
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && size == 1 {
				return nil, errorf(i, "the query is not valid UTF-8")
			}
			i += size
		}
	}
	p := &parser{src: src}
	pos := skipWS(src, 0)
	if len(src)-pos >= 2 && src[pos:pos+2] == "fn" {
		return nil, unsupportedf(pos, "function declarations are not supported")
	}
	x, end, err := p.expr(pos, 0, 0)
	if err != nil {
		return nil, err
	}
	end = skipWS(src, end)
	if end != len(src) {
		if p.travErr != nil && p.travErr.Pos >= end {
			return nil, p.travErr
		}
		return nil, errorf(end, "unexpected "+describeAt(src, end))
	}
	return x, nil
}

func describeAt(src string, pos int) string {
	if pos >= len(src) {
		return "end of query"
	}
	return strconv.QuoteRune(rune(src[pos]))
}

type parser struct {
	src string
	// travErr is the last traversal that failed to parse. A failed traversal is not an
	// error by itself (`a - b` starts like `a->b`), but it explains a later failure.
	travErr *Error
}

func (p *parser) at(pos int) byte {
	if pos < len(p.src) {
		return p.src[pos]
	}
	return 0
}

func (p *parser) hasPrefix(pos int, s string) bool {
	return len(p.src)-pos >= len(s) && p.src[pos:pos+len(s)] == s
}

// expr parses an expression at pos whose operators bind at least as tightly as level.
func (p *parser) expr(pos, level, depth int) (Expr, int, *Error) {
	if depth > MaxDepth {
		return nil, pos, errorf(pos, "expression nested too deeply (the limit is "+strconv.Itoa(MaxDepth)+")")
	}
	x, pos, err := p.primary(pos, depth)
	if err != nil {
		return nil, pos, err
	}
	start := x.Pos()
	lhs := levelTop
	for {
		inner := skipWS(p.src, pos)
		if inner == len(p.src) {
			return x, inner, nil
		}
		if items, end := p.traversals(inner, depth); len(items) > 0 {
			x = &Chain{At: start, Base: x, Items: items}
			pos = end
			continue
		}
		var (
			op     string
			opLen  int
			rlevel int
			next   int
		)
		switch c := p.src[inner]; c {
		case '=':
			switch p.at(inner + 1) {
			case '>':
				if level > levelPair || lhs <= levelPair {
					return x, pos, nil
				}
				r, end, err := p.expr(skipWS(p.src, inner+2), levelPair, depth+1)
				if err != nil {
					return nil, end, err
				}
				x, pos, lhs = &Pair{At: start, L: x, R: r}, end, levelPair
				continue
			case '=':
				if level > levelCmp || lhs <= levelCmp {
					return x, pos, nil
				}
				op, opLen, rlevel, next = "==", 2, levelCmp+1, levelCmp
			default:
				return x, pos, nil
			}
		case '+', '-':
			if level > levelAdd || lhs < levelAdd {
				return x, pos, nil
			}
			op, opLen, rlevel, next = string(c), 1, levelMul, levelAdd
		case '*':
			if p.at(inner+1) == '*' {
				if level > levelPow || lhs <= levelPow {
					return x, pos, nil
				}
				op, opLen, rlevel, next = "**", 2, levelPow, levelPow
			} else {
				if level > levelMul || lhs < levelMul {
					return x, pos, nil
				}
				op, opLen, rlevel, next = "*", 1, levelPow, levelMul
			}
		case '/', '%':
			if level > levelMul || lhs < levelMul {
				return x, pos, nil
			}
			op, opLen, rlevel, next = string(c), 1, levelPow, levelMul
		case '<', '>':
			if level > levelCmp || lhs <= levelCmp {
				return x, pos, nil
			}
			op, opLen = string(c), 1
			if p.at(inner+1) == '=' {
				op, opLen = op+"=", 2
			}
			rlevel, next = levelCmp+1, levelCmp
		case '|':
			if p.at(inner+1) == '|' {
				if level > levelOr || lhs < levelOr {
					return x, pos, nil
				}
				op, opLen, rlevel, next = "||", 2, levelAnd, levelOr
				break
			}
			if level > levelPipe || lhs < levelPipe {
				return x, pos, nil
			}
			identPos := skipWS(p.src, inner+1)
			n := identLen(p.src, identPos)
			if n == 0 {
				return nil, identPos, errorf(identPos, "expected a function name after |")
			}
			if c := p.at(identPos + n); c != '(' && c != ':' {
				return nil, identPos, unsupportedf(identPos, "expected a function call after |")
			}
			call, end, err := p.call(identPos, identPos+n, depth)
			if err != nil {
				return nil, end, err
			}
			x, pos, lhs = &Pipe{At: start, Base: x, Call: call}, end, levelPipe
			continue
		case '&':
			if p.at(inner+1) != '&' || level > levelAnd || lhs < levelAnd {
				return x, pos, nil
			}
			op, opLen, rlevel, next = "&&", 2, levelCmp, levelAnd
		case '!':
			if p.at(inner+1) != '=' || level > levelCmp || lhs <= levelCmp {
				return x, pos, nil
			}
			op, opLen, rlevel, next = "!=", 2, levelCmp+1, levelCmp
		case 'd', 'a':
			word := "asc"
			if c == 'd' {
				word = "desc"
			}
			if !p.hasPrefix(inner, word) || level > levelCmp || lhs < levelCmp {
				return x, pos, nil
			}
			x, pos, lhs = &Order{At: start, X: x, Desc: c == 'd'}, inner+len(word), levelCmp
			continue
		default:
			n := identLen(p.src, inner)
			switch p.src[inner : inner+n] {
			case "in":
				if level > levelCmp || lhs <= levelCmp {
					return x, pos, nil
				}
				r, end, err := p.in(x, start, inner, depth)
				if err != nil {
					return nil, end, err
				}
				x, pos, lhs = r, end, levelCmp
				continue
			case "match":
				if level > levelCmp || lhs <= levelCmp {
					return x, pos, nil
				}
				op, opLen, rlevel, next = "match", 5, levelCmp+1, levelCmp
			default:
				return x, pos, nil
			}
		}
		r, end, err := p.expr(skipWS(p.src, inner+opLen), rlevel, depth+1)
		if err != nil {
			return nil, end, err
		}
		x, pos, lhs = &Binary{At: start, Op: op, OpPos: inner, L: x, R: r}, end, next
	}
}

// in parses the right-hand side of `in` (at inner): a value, or a range lo..hi / lo...hi,
// optionally in parentheses.
func (p *parser) in(x Expr, start, inner, depth int) (Expr, int, *Error) {
	pos := skipWS(p.src, inner+2)
	group := p.at(pos) == '('
	if group {
		pos = skipWS(p.src, pos+1)
	}
	lo, end, err := p.expr(pos, levelCmp+1, depth+1)
	if err != nil {
		return nil, end, err
	}
	var result Expr
	pos = skipWS(p.src, end)
	if p.hasPrefix(pos, "..") {
		inclusive := !p.hasPrefix(pos, "...")
		if inclusive {
			pos = skipWS(p.src, pos+2)
		} else {
			pos = skipWS(p.src, pos+3)
		}
		hi, end, err := p.expr(pos, levelCmp+1, depth+1)
		if err != nil {
			return nil, end, err
		}
		result, pos = &InRange{At: start, X: x, Lo: lo, Hi: hi, Inclusive: inclusive}, end
	} else {
		result = &Binary{At: start, Op: "in", OpPos: inner, L: x, R: lo}
	}
	if group {
		pos = skipWS(p.src, pos)
		if p.at(pos) != ')' {
			return nil, pos, errorf(pos, `expected ")" in group`)
		}
		pos++
	}
	return result, pos, nil
}

// primary parses the operand at pos: a literal, a prefix operator with its operand, a
// group, an array or object literal, a function call or an attribute name.
func (p *parser) primary(pos, depth int) (Expr, int, *Error) {
	if pos >= len(p.src) {
		return nil, pos, errorf(pos, "expected expression, found end of query")
	}
	switch c := p.src[pos]; c {
	case '+', '-', '!':
		level := levelPrefix
		if c == '-' {
			level = levelPow
		}
		x, end, err := p.expr(skipWS(p.src, pos+1), level, depth+1)
		if err != nil {
			return nil, end, err
		}
		return &Unary{At: pos, Op: string(c), X: x}, end, nil
	case '(':
		return p.groupOrTuple(pos, depth)
	case '{':
		return p.object(pos, depth)
	case '[':
		return p.array(pos, depth)
	case '"', '\'':
		s, end, err := scanString(p.src, pos)
		if err != nil {
			return nil, end, err
		}
		return &Literal{At: pos, Val: stringValue(s), String: true}, end, nil
	case '^':
		n, end := 1, pos+1
		for p.at(end) == '.' && p.at(end+1) == '^' {
			n++
			end += 2
		}
		return &Parent{At: pos, N: n}, end, nil
	case '@':
		return &This{At: pos}, pos + 1, nil
	case '*':
		return &Everything{At: pos}, pos + 1, nil
	case '$':
		n := identLen(p.src, pos+1)
		if n == 0 {
			return nil, pos, errorf(pos, "expected a parameter name after $")
		}
		return &Param{At: pos, Name: p.src[pos+1 : pos+1+n]}, pos + 1 + n, nil
	}
	if isDigit(p.src[pos]) {
		f, end, err := scanNumber(p.src, pos)
		if err != nil {
			return nil, end, err
		}
		return &Literal{At: pos, Val: numberValue(f)}, end, nil
	}
	n := identLen(p.src, pos)
	if n == 0 {
		return nil, pos, errorf(pos, "expected expression, found "+describeAt(p.src, pos))
	}
	end := pos + n
	if c := p.at(end); c == '(' || c == ':' {
		return p.call(pos, end, depth)
	}
	switch name := p.src[pos:end]; name {
	case "null":
		return &Literal{At: pos, Val: nullValue}, end, nil
	case "true":
		return &Literal{At: pos, Val: boolValue(true)}, end, nil
	case "false":
		return &Literal{At: pos, Val: boolValue(false)}, end, nil
	default:
		return &Ident{At: pos, Name: name}, end, nil
	}
}

// call parses a function call whose name starts at start and ends at pos.
func (p *parser) call(start, pos, depth int) (*Call, int, *Error) {
	c := &Call{At: start, Namespace: "global", Name: p.src[start:pos]}
	if p.hasPrefix(pos, "::") {
		c.Namespace = c.Name
		pos = skipWS(p.src, pos+2)
		n := identLen(p.src, pos)
		if n == 0 {
			return nil, pos, errorf(pos, "expected function name")
		}
		c.Name = p.src[pos : pos+n]
		pos = skipWS(p.src, pos+n)
		if p.at(pos) != '(' {
			return nil, pos, errorf(pos, `expected "(" after function name`)
		}
	}
	pos = skipWS(p.src, pos+1)
	if p.at(pos) != ')' {
		for {
			arg, end, err := p.expr(pos, 0, depth+1)
			if err != nil {
				return nil, end, err
			}
			c.Args = append(c.Args, arg)
			pos = skipWS(p.src, end)
			if p.at(pos) != ',' {
				break
			}
			pos = skipWS(p.src, pos+1)
			if p.at(pos) == ')' {
				break
			}
		}
	}
	if p.at(pos) != ')' {
		return nil, pos, errorf(pos, `expected ")" after function arguments`)
	}
	return c, pos + 1, nil
}

func (p *parser) groupOrTuple(pos, depth int) (Expr, int, *Error) {
	start := pos
	x, end, err := p.expr(skipWS(p.src, pos+1), 0, depth+1)
	if err != nil {
		return nil, end, err
	}
	pos = skipWS(p.src, end)
	switch p.at(pos) {
	case ')':
		return &Group{At: start, X: x}, pos + 1, nil
	case ',':
		t := &Tuple{At: start, Xs: []Expr{x}}
		pos = skipWS(p.src, pos+1)
		for {
			x, end, err := p.expr(pos, 0, depth+1)
			if err != nil {
				return nil, end, err
			}
			t.Xs = append(t.Xs, x)
			pos = skipWS(p.src, end)
			if p.at(pos) != ',' {
				break
			}
			pos = skipWS(p.src, pos+1)
		}
		if p.at(pos) != ')' {
			return nil, pos, errorf(pos, `expected ")" after tuple expression`)
		}
		return t, pos + 1, nil
	default:
		return nil, pos, errorf(pos, `expected ")", found `+describeAt(p.src, pos))
	}
}

func (p *parser) array(pos, depth int) (Expr, int, *Error) {
	a := &ArrayLit{At: pos}
	pos = skipWS(p.src, pos+1)
	if p.at(pos) != ']' {
		for {
			splat := p.hasPrefix(pos, "...")
			if splat {
				pos = skipWS(p.src, pos+3)
			}
			x, end, err := p.expr(pos, 0, depth+1)
			if err != nil {
				return nil, end, err
			}
			a.Elems = append(a.Elems, ArrayElem{Splat: splat, X: x})
			pos = skipWS(p.src, end)
			if p.at(pos) != ',' {
				break
			}
			pos = skipWS(p.src, pos+1)
			if p.at(pos) == ']' {
				break
			}
		}
	}
	if p.at(pos) != ']' {
		return nil, pos, errorf(pos, `expected "]" after array expression`)
	}
	return a, pos + 1, nil
}

func (p *parser) object(pos, depth int) (*ObjectLit, int, *Error) {
	o := &ObjectLit{At: pos}
	pos = skipWS(p.src, pos+1)
	for p.at(pos) != '}' {
		entryPos := pos
		if p.hasPrefix(pos, "...") {
			pos = skipWS(p.src, pos+3)
			e := ObjectEntry{At: entryPos, Splat: true}
			if c := p.at(pos); c != '}' && c != ',' {
				x, end, err := p.expr(pos, 0, depth+1)
				if err != nil {
					return nil, end, err
				}
				e.X, pos = x, end
			}
			o.Entries = append(o.Entries, e)
		} else {
			x, end, err := p.expr(pos, 0, depth+1)
			if err != nil {
				return nil, end, err
			}
			next := skipWS(p.src, end)
			if lit, ok := x.(*Literal); ok && lit.String && p.at(next) == ':' {
				v, end, err := p.expr(skipWS(p.src, next+1), 0, depth+1)
				if err != nil {
					return nil, end, err
				}
				o.Entries = append(o.Entries, ObjectEntry{At: entryPos, Key: lit.Val.s, HasKey: true, X: v})
				pos = end
			} else {
				o.Entries = append(o.Entries, ObjectEntry{At: entryPos, X: x})
				pos = end
			}
		}
		pos = skipWS(p.src, pos)
		if p.at(pos) != ',' {
			break
		}
		pos = skipWS(p.src, pos+1)
	}
	if p.at(pos) != '}' {
		return nil, pos, errorf(pos, `expected "}" after object`)
	}
	return o, pos + 1, nil
}

// traversals parses the traversals that follow an operand at pos. It returns none when
// the text at pos is not a traversal; the caller then tries it as an operator.
func (p *parser) traversals(pos, depth int) ([]Traversal, int) {
	var items []Traversal
	for {
		t, end, err := p.traversal(pos, depth)
		if err != nil {
			if c := p.at(pos); c == '.' || c == '[' || c == '{' {
				p.travErr = err
			}
			return items, pos
		}
		items = append(items, t)
		pos = end
		next := skipWS(p.src, pos)
		if next == len(p.src) {
			return items, pos
		}
		pos = next
	}
}

func (p *parser) traversal(pos, depth int) (Traversal, int, *Error) {
	start := pos
	fail := func(at int, msg string) (Traversal, int, *Error) {
		return Traversal{}, at, errorf(at, msg)
	}
	switch p.at(pos) {
	case '.':
		pos = skipWS(p.src, pos+1)
		if p.at(pos) == '(' {
			x, end, err := p.groupOrTuple(pos, depth)
			if err != nil {
				return Traversal{}, end, err
			}
			return Traversal{At: start, Kind: TravGroup, X: x}, end, nil
		}
		n := identLen(p.src, pos)
		if n == 0 {
			return fail(pos, `expected identifier after "."`)
		}
		return Traversal{At: start, Kind: TravAttr, Name: p.src[pos : pos+n]}, pos + n, nil
	case '-':
		if p.at(pos+1) != '>' {
			return fail(pos, `expected ">" in reference`)
		}
		pos += 2
		t := Traversal{At: start, Kind: TravDeref}
		identPos := skipWS(p.src, pos)
		if n := identLen(p.src, identPos); n > 0 {
			t.Name = p.src[identPos : identPos+n]
			pos = identPos + n
		}
		return t, pos, nil
	case '[':
		pos = skipWS(p.src, pos+1)
		if p.at(pos) == ']' {
			return Traversal{At: start, Kind: TravArray}, pos + 1, nil
		}
		x, end, err := p.expr(pos, 0, depth+1)
		if err != nil {
			return Traversal{}, end, err
		}
		pos = skipWS(p.src, end)
		if p.hasPrefix(pos, "..") {
			inclusive := !p.hasPrefix(pos, "...")
			if inclusive {
				pos += 2
			} else {
				pos += 3
			}
			hi, end, err := p.expr(skipWS(p.src, pos), 0, depth+1)
			if err != nil {
				return Traversal{}, end, err
			}
			pos = skipWS(p.src, end)
			if p.at(pos) != ']' {
				return fail(pos, `expected "]" after slice`)
			}
			return Traversal{At: start, Kind: TravSlice, Lo: x, Hi: hi, Inclusive: inclusive}, pos + 1, nil
		}
		if p.at(pos) != ']' {
			return fail(pos, `expected "]" after array expression`)
		}
		return Traversal{At: start, Kind: TravBracket, X: x}, pos + 1, nil
	case '|':
		pos = skipWS(p.src, pos+1)
		if p.at(pos) != '{' {
			return fail(pos, "not a projection")
		}
		fallthrough
	case '{':
		o, end, err := p.object(pos, depth+1)
		if err != nil {
			return Traversal{}, end, err
		}
		return Traversal{At: start, Kind: TravProjection, Object: o}, end, nil
	}
	return fail(pos, "unexpected character in traversal")
}
