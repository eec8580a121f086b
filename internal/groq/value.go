package groq

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// kind is the GROQ type of a value.
type kind uint8

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
	kindDateTime
	kindPath
)

// value is a GROQ value. It is a small plain struct, not an interface, so that reading
// an attribute of a decoded document and comparing it with a literal allocates nothing.
// ref holds an object (map[string]any), an array read from a document ([]any, kept in
// the interface it came in, so never boxed again), an array built while evaluating
// ([]value) or a path (*pathGlob).
type value struct {
	k   kind
	b   bool
	n   float64 // number; milliseconds since the Unix epoch for a datetime (NaN if invalid)
	s   string  // string; the pattern of a path
	ref any
}

// dateTimeAny is how a datetime is kept inside an object built by a query.
type dateTimeAny float64

var (
	nullValue  = value{}
	trueValue  = value{k: kindBool, b: true}
	falseValue = value{k: kindBool}
)

func boolValue(b bool) value {
	if b {
		return trueValue
	}
	return falseValue
}

func stringValue(s string) value { return value{k: kindString, s: s} }

// numberValue wraps a literal number. Results of arithmetic go through finiteNumber.
func numberValue(f float64) value { return value{k: kindNumber, n: f} }

// finiteNumber is a number result as groq-js makes it: NaN and ±Inf become null.
func finiteNumber(f float64) value {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nullValue
	}
	return value{k: kindNumber, n: f}
}

func arrayOf(vals []value) value { return value{k: kindArray, ref: vals} }

func objectValue(m map[string]any) value { return value{k: kindObject, ref: m} }

// object is the attributes of an object value.
func (v value) object() map[string]any {
	m, _ := v.ref.(map[string]any)
	return m
}

func (v value) path() *pathGlob {
	g, _ := v.ref.(*pathGlob)
	return g
}

func dateTimeValue(ms float64) value { return value{k: kindDateTime, n: ms} }

// fromAny converts a JSON-decoded Go value into a GROQ value without allocating.
func fromAny(x any) value {
	switch t := x.(type) {
	case nil:
		return nullValue
	case string:
		return value{k: kindString, s: t}
	case float64:
		return value{k: kindNumber, n: t}
	case bool:
		return boolValue(t)
	case map[string]any:
		return value{k: kindObject, ref: x}
	case []any:
		return value{k: kindArray, ref: x}
	case int:
		return value{k: kindNumber, n: float64(t)}
	case int64:
		return value{k: kindNumber, n: float64(t)}
	case float32:
		return value{k: kindNumber, n: float64(t)}
	case json.Number:
		f, err := t.Float64()
		if err != nil {
			return nullValue
		}
		return value{k: kindNumber, n: f}
	case dateTimeAny:
		return dateTimeValue(float64(t))
	case *pathGlob:
		return value{k: kindPath, s: t.pattern, ref: x}
	}
	return nullValue
}

// toAny converts a GROQ value back into a Go value, to store it in a built object.
func (v value) toAny() any {
	switch v.k {
	case kindBool:
		return v.b
	case kindNumber:
		return v.n
	case kindString:
		return v.s
	case kindArray:
		vals, ok := v.ref.([]value)
		if !ok {
			return v.ref
		}
		out := make([]any, len(vals))
		for i, e := range vals {
			out[i] = e.toAny()
		}
		return out
	case kindObject, kindPath:
		return v.ref
	case kindDateTime:
		return dateTimeAny(v.n)
	}
	return nil
}

func (v value) isNull() bool { return v.k == kindNull }

func (v value) isTrue() bool { return v.k == kindBool && v.b }

// len is the number of elements of an array value.
func (v value) len() int {
	switch a := v.ref.(type) {
	case []any:
		return len(a)
	case []value:
		return len(a)
	}
	return 0
}

// at is element i of an array value.
func (v value) at(i int) value {
	if a, ok := v.ref.([]any); ok {
		return fromAny(a[i])
	}
	return v.ref.([]value)[i]
}

// equal is GROQ's ==: true only for two equal values of the same scalar type.
func equal(a, b value) bool {
	if a.k != b.k {
		return false
	}
	switch a.k {
	case kindNull:
		return true
	case kindBool:
		return a.b == b.b
	case kindNumber, kindDateTime:
		return a.n == b.n
	case kindString:
		return a.s == b.s
	}
	return false
}

// compare orders two values of the same type (number, boolean, string or datetime). It
// returns a number whose sign gives the order and false when the values are not
// comparable; NaN (an invalid datetime) compares false every way, as in groq-js.
func compare(a, b value) (float64, bool) {
	if a.k != b.k {
		return 0, false
	}
	switch a.k {
	case kindNumber, kindDateTime:
		return a.n - b.n, true
	case kindBool:
		return float64(b2i(a.b) - b2i(b.b)), true
	case kindString:
		return float64(compareUTF16(a.s, b.s)), true
	}
	return 0, false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// compareUTF16 orders strings by UTF-16 code units, as JavaScript does. It differs from
// byte order only between characters above U+FFFF and those in U+E000..U+FFFF.
func compareUTF16(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(a) || i == len(b) {
		return len(a) - len(b) // one is a prefix of the other (or they are equal)
	}
	// Back up to the start of the rune that differs.
	for i > 0 && !utf8.RuneStart(a[i]) {
		i--
	}
	ra, _ := utf8.DecodeRuneInString(a[i:])
	rb, _ := utf8.DecodeRuneInString(b[i:])
	ua, ub := firstUnit(ra), firstUnit(rb)
	if ua != ub {
		return int(ua) - int(ub)
	}
	return int(ra) - int(rb)
}

func firstUnit(r rune) rune {
	if r >= 0x10000 {
		return 0xD800 + (r-0x10000)>>10
	}
	return r
}

// formatNumber formats a number as JavaScript's Number.prototype.toString does.
func formatNumber(f float64) string {
	switch {
	case f == 0:
		return "0"
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	abs := math.Abs(f)
	if abs >= 1e-6 && abs < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	sign := exp[0]
	exp = strings.TrimLeft(exp[1:], "0")
	return mant + "e" + string(sign) + exp
}

// stringOf is `${x}` in JavaScript for the scalar types string() and array::join accept.
func stringOf(v value) (string, bool) {
	switch v.k {
	case kindString:
		return v.s, true
	case kindNumber:
		return formatNumber(v.n), true
	case kindBool:
		if v.b {
			return "true", true
		}
		return "false", true
	case kindDateTime:
		return formatDateTime(v.n), true
	}
	return "", false
}
