package groq

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// This file is the function library: which functions exist (as groq-js registers them,
// so that arity errors and unknown names are rejected alike) and how the ones a listen
// filter can use evaluate.

type fnImpl func(e *evaluator, s int, args []node) value

// function describes a GROQ function. arity reports whether a number of arguments is
// valid (nil: any). impl is nil for functions groq-js knows but a listen filter cannot
// use (they read other documents, the request context or scores).
type function struct {
	arity func(int) bool
	impl  fnImpl
	// pure functions depend only on their arguments: with constant arguments they are
	// evaluated once, at compile time.
	pure bool
}

func exactly(n int) func(int) bool { return func(c int) bool { return c == n } }

var functions map[string]function

func init() {
	functions = map[string]function{
		"global::anywhere":   {arity: exactly(1)},
		"global::coalesce":   {impl: fnCoalesce, pure: true},
		"global::count":      {arity: exactly(1), impl: unary(fnCount), pure: true},
		"global::dateTime":   {arity: exactly(1), impl: unary(fnDateTime), pure: true},
		"global::defined":    {arity: exactly(1), impl: unary(fnDefined), pure: true},
		"global::identity":   {arity: exactly(0)},
		"global::length":     {arity: exactly(1), impl: unary(fnLength), pure: true},
		"global::path":       {arity: exactly(1), impl: unary(fnPath), pure: true},
		"global::string":     {arity: exactly(1), impl: unary(fnString), pure: true},
		"global::references": {arity: func(c int) bool { return c >= 1 }, impl: fnReferences},
		"global::round":      {arity: func(c int) bool { return c >= 1 && c <= 2 }, impl: fnRound, pure: true},
		"global::now":        {arity: exactly(0), impl: fnNow},
		"global::boost":      {arity: exactly(2)},
		"global::lower":      {arity: exactly(1), impl: unary(fnLower), pure: true},
		"global::upper":      {arity: exactly(1), impl: unary(fnUpper), pure: true},

		"string::lower":      {arity: exactly(1), impl: unary(fnLower), pure: true},
		"string::upper":      {arity: exactly(1), impl: unary(fnUpper), pure: true},
		"string::split":      {arity: exactly(2), impl: binary(fnSplit), pure: true},
		"string::startsWith": {arity: exactly(2), impl: binary(fnStartsWith), pure: true},

		"array::join":       {arity: exactly(2), impl: binary(fnJoin), pure: true},
		"array::compact":    {arity: exactly(1), impl: unary(fnCompact), pure: true},
		"array::unique":     {arity: exactly(1), impl: unary(fnUnique), pure: true},
		"array::intersects": {arity: exactly(2), impl: binary(fnIntersects), pure: true},

		"pt::text": {arity: exactly(1), impl: unary(fnPortableText), pure: true},

		"delta::operation":   {},
		"delta::changedAny":  {arity: exactly(1)},
		"delta::changedOnly": {arity: exactly(1)},
		"diff::changedAny":   {arity: exactly(3)},
		"diff::changedOnly":  {arity: exactly(3)},
		"media::aspect":      {arity: exactly(2)},

		"sanity::projectId":     {},
		"sanity::dataset":       {},
		"sanity::versionOf":     {arity: exactly(1), impl: fnVersionOf},
		"sanity::partOfRelease": {arity: exactly(1), impl: fnPartOfRelease},

		"math::min": {arity: exactly(1), impl: unary(fnMin), pure: true},
		"math::max": {arity: exactly(1), impl: unary(fnMax), pure: true},
		"math::sum": {arity: exactly(1), impl: unary(fnSum), pure: true},
		"math::avg": {arity: exactly(1), impl: unary(fnAvg), pure: true},

		"dateTime::now": {arity: exactly(0), impl: fnDateTimeNow},

		"releases::all": {arity: exactly(0)},

		"text::query":              {arity: exactly(1)},
		"text::semanticSimilarity": {arity: exactly(1)},

		"geo::latLng":     {},
		"geo::contains":   {},
		"geo::intersects": {},
		"geo::distance":   {},

		"documents::get":                                  {},
		"documents::incomingRefCount":                     {},
		"documents::incomingGlobalDocumentReferenceCount": {},

		"user::attributes": {},
	}
}

// knownNamespace reports whether groq-js defines the namespace.
func knownNamespace(ns string) bool {
	prefix := ns + "::"
	for name := range functions {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

func unary(f func(value) value) fnImpl {
	return func(e *evaluator, s int, args []node) value { return f(args[0].eval(e, s)) }
}

func binary(f func(a, b value) value) fnImpl {
	return func(e *evaluator, s int, args []node) value {
		return f(args[0].eval(e, s), args[1].eval(e, s))
	}
}

func fnCoalesce(e *evaluator, s int, args []node) value {
	for _, a := range args {
		if v := a.eval(e, s); !v.isNull() {
			return v
		}
	}
	return nullValue
}

func fnCount(v value) value {
	if v.k != kindArray {
		return nullValue
	}
	return numberValue(float64(v.len()))
}

func fnDateTime(v value) value {
	switch v.k {
	case kindDateTime:
		return v
	case kindString:
		if ms, ok := parseDateTime(v.s); ok {
			return dateTimeValue(ms)
		}
	}
	return nullValue
}

func fnDefined(v value) value { return boolValue(!v.isNull()) }

func fnLength(v value) value {
	switch v.k {
	case kindString:
		return numberValue(float64(utf8.RuneCountInString(v.s)))
	case kindArray:
		return numberValue(float64(v.len()))
	}
	return nullValue
}

func fnPath(v value) value {
	if v.k != kindString {
		return nullValue
	}
	return value{k: kindPath, s: v.s, ref: compilePath(v.s)}
}

func fnString(v value) value {
	if s, ok := stringOf(v); ok {
		return stringValue(s)
	}
	return nullValue
}

func fnReferences(e *evaluator, s int, args []node) value {
	var ids []string
	for _, a := range args {
		v := a.eval(e, s)
		switch v.k {
		case kindString:
			ids = append(ids, v.s)
		case kindArray:
			for i := 0; i < v.len(); i++ {
				if el := v.at(i); el.k == kindString {
					ids = append(ids, el.s)
				}
			}
		}
	}
	if len(ids) == 0 {
		return falseValue
	}
	return boolValue(hasReference(e.scopes[s].val.toAny(), ids))
}

// hasReference searches a value for an object whose _ref is one of ids. As in groq-js an
// object with a truthy _ref is not searched further.
func hasReference(x any, ids []string) bool {
	switch t := x.(type) {
	case []any:
		for _, el := range t {
			if hasReference(el, ids) {
				return true
			}
		}
	case map[string]any:
		if ref, ok := t["_ref"]; ok && truthy(ref) {
			r, isString := ref.(string)
			if !isString {
				return false
			}
			for _, id := range ids {
				if id == r {
					return true
				}
			}
			return false
		}
		for _, el := range t {
			if hasReference(el, ids) {
				return true
			}
		}
	}
	return false
}

// truthy is JavaScript's truthiness for a JSON-decoded value.
func truthy(x any) bool {
	switch t := x.(type) {
	case nil:
		return false
	case bool:
		return t
	case float64:
		return t != 0 && !math.IsNaN(t)
	case string:
		return t != ""
	}
	return true
}

func fnRound(e *evaluator, s int, args []node) value {
	v := args[0].eval(e, s)
	if v.k != kindNumber {
		return nullValue
	}
	prec := 0.0
	if len(args) > 1 {
		p := args[1].eval(e, s)
		// groq-js fails the whole query for more than 100 digits; a filter cannot fail
		// for one document, so it does not match it.
		if p.k != kindNumber || p.n < 0 || p.n != math.Trunc(p.n) || p.n > 100 {
			return nullValue
		}
		prec = p.n
	}
	if prec == 0 {
		return finiteNumber(math.Round(v.n)) // half away from zero, as groq-js rounds
	}
	return finiteNumber(toFixed(v.n, int(prec)))
}

// toFixed is Number(x.toFixed(digits)): rounding of the exact binary value, ties away
// from zero.
func toFixed(x float64, digits int) float64 {
	if math.Abs(x) >= 1e21 {
		return x
	}
	exact := new(big.Float).SetFloat64(math.Abs(x)).Text('f', 1100)
	intPart, frac, _ := strings.Cut(exact, ".")
	frac += strings.Repeat("0", digits+1)
	kept := intPart + frac[:digits]
	n, _ := new(big.Int).SetString(kept, 10)
	if frac[digits] >= '5' {
		n.Add(n, big.NewInt(1))
	}
	str := n.String()
	for len(str) <= digits {
		str = "0" + str
	}
	str = str[:len(str)-digits] + "." + str[len(str)-digits:]
	f, _ := strconv.ParseFloat(str, 64)
	if x < 0 {
		return -f
	}
	return f
}

func fnNow(e *evaluator, _ int, _ []node) value { return stringValue(isoString(e.now)) }

func fnDateTimeNow(e *evaluator, _ int, _ []node) value {
	return dateTimeValue(float64(e.now.UnixMilli()))
}

var (
	lowerCaser = cases.Lower(language.Und)
	upperCaser = cases.Upper(language.Und)
)

func fnLower(v value) value {
	if v.k != kindString {
		return nullValue
	}
	return stringValue(lowerCaser.String(v.s))
}

func fnUpper(v value) value {
	if v.k != kindString {
		return nullValue
	}
	return stringValue(upperCaser.String(v.s))
}

func fnSplit(str, sep value) value {
	if str.k != kindString || sep.k != kindString {
		return nullValue
	}
	if str.s == "" {
		return arrayOf([]value{})
	}
	var parts []string
	if sep.s == "" {
		parts = strings.Split(str.s, "") // one element per code point, as Array.from
	} else {
		parts = strings.Split(str.s, sep.s)
	}
	out := make([]value, len(parts))
	for i, p := range parts {
		out[i] = stringValue(p)
	}
	return arrayOf(out)
}

func fnStartsWith(str, prefix value) value {
	if str.k != kindString || prefix.k != kindString {
		return nullValue
	}
	return boolValue(strings.HasPrefix(str.s, prefix.s))
}

func fnJoin(arr, sep value) value {
	if arr.k != kindArray || sep.k != kindString {
		return nullValue
	}
	var b strings.Builder
	for i := 0; i < arr.len(); i++ {
		if i > 0 {
			b.WriteString(sep.s)
		}
		s, ok := stringOf(arr.at(i))
		if !ok {
			return nullValue
		}
		b.WriteString(s)
	}
	return stringValue(b.String())
}

func fnCompact(arr value) value {
	if arr.k != kindArray {
		return nullValue
	}
	out := make([]value, 0, arr.len())
	for i := 0; i < arr.len(); i++ {
		if el := arr.at(i); !el.isNull() {
			out = append(out, el)
		}
	}
	return arrayOf(out)
}

// fnUnique drops repeated numbers, strings and booleans; like groq-js's Set of JavaScript
// values it keeps every datetime, object, array and null.
func fnUnique(arr value) value {
	if arr.k != kindArray {
		return nullValue
	}
	type key struct {
		k kind
		n float64
		s string
		b bool
	}
	seen := make(map[key]bool)
	out := make([]value, 0, arr.len())
	for i := 0; i < arr.len(); i++ {
		el := arr.at(i)
		switch el.k {
		case kindNumber, kindString, kindBool:
			k := key{k: el.k, n: el.n, s: el.s, b: el.b}
			if el.n == 0 {
				k.n = 0 // -0 and 0 are the same
			}
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		out = append(out, el)
	}
	return arrayOf(out)
}

func fnIntersects(a, b value) value {
	if a.k != kindArray || b.k != kindArray {
		return nullValue
	}
	for i := 0; i < a.len(); i++ {
		for j := 0; j < b.len(); j++ {
			if equal(a.at(i), b.at(j)) {
				return trueValue
			}
		}
	}
	return falseValue
}

// numbers walks the numbers of an array for the math functions: nulls are skipped and
// any other non-number makes the result null (ok false).
func numbers(arr value, f func(float64)) bool {
	if arr.k != kindArray {
		return false
	}
	for i := 0; i < arr.len(); i++ {
		switch el := arr.at(i); el.k {
		case kindNull:
		case kindNumber:
			f(el.n)
		default:
			return false
		}
	}
	return true
}

func fnSum(arr value) value {
	sum := 0.0
	if !numbers(arr, func(n float64) { sum += n }) {
		return nullValue
	}
	return finiteNumber(sum)
}

func fnAvg(arr value) value {
	sum, count := 0.0, 0
	if !numbers(arr, func(n float64) { sum += n; count++ }) || count == 0 {
		return nullValue
	}
	return finiteNumber(sum / float64(count))
}

func fnMin(arr value) value { return extreme(arr, func(a, b float64) bool { return a < b }) }

func fnMax(arr value) value { return extreme(arr, func(a, b float64) bool { return a > b }) }

func extreme(arr value, better func(a, b float64) bool) value {
	best, found := 0.0, false
	if !numbers(arr, func(n float64) {
		if !found || better(n, best) {
			best, found = n, true
		}
	}) || !found {
		return nullValue
	}
	return finiteNumber(best)
}

// fnPortableText is pt::text: the text of the spans of a block or of an array of blocks.
func fnPortableText(v value) value {
	switch v.k {
	case kindObject:
		if t, ok := blockText(v.object()); ok {
			return stringValue(t)
		}
	case kindArray:
		var texts []string
		arrayText(v.toAny().([]any), &texts)
		if len(texts) > 0 {
			return stringValue(strings.Join(texts, "\n\n"))
		}
	}
	return nullValue
}

func arrayText(blocks []any, texts *[]string) {
	for _, b := range blocks {
		switch t := b.(type) {
		case []any:
			arrayText(t, texts)
		case map[string]any:
			if s, ok := blockText(t); ok {
				*texts = append(*texts, s)
			}
		}
	}
}

func blockText(block map[string]any) (string, bool) {
	if _, ok := block["_type"].(string); !ok {
		return "", false
	}
	children, ok := block["children"].([]any)
	if !ok {
		return "", false
	}
	var b strings.Builder
	for _, c := range children {
		child, ok := c.(map[string]any)
		if !ok {
			continue
		}
		if typ, _ := child["_type"].(string); typ != "span" {
			continue
		}
		if text, ok := child["text"].(string); ok {
			b.WriteString(text)
		}
	}
	return b.String(), true
}

// fnVersionOf is sanity::versionOf(id): whether the document is id, its draft or one of
// its release versions.
func fnVersionOf(e *evaluator, s int, args []node) value {
	id, docID, ok := idArgs(e, s, args)
	if !ok {
		return nullValue
	}
	if docID == id {
		return trueValue
	}
	parts := strings.Split(docID, ".")
	if len(parts) >= 2 && parts[0] == "drafts" && strings.Join(parts[1:], ".") == id {
		return trueValue
	}
	return boolValue(len(parts) >= 3 && parts[0] == "versions" && strings.Join(parts[2:], ".") == id)
}

// fnPartOfRelease is sanity::partOfRelease(name): whether the document is a version in
// that release.
func fnPartOfRelease(e *evaluator, s int, args []node) value {
	release, docID, ok := idArgs(e, s, args)
	if !ok {
		return nullValue
	}
	parts := strings.Split(docID, ".")
	return boolValue(len(parts) >= 3 && parts[0] == "versions" && parts[1] == release)
}

func idArgs(e *evaluator, s int, args []node) (arg, docID string, ok bool) {
	a := args[0].eval(e, s)
	if a.k != kindString {
		return "", "", false
	}
	this := e.scopes[s].val
	if this.k != kindObject {
		return "", "", false
	}
	id, isString := this.object()["_id"].(string)
	if !isString {
		return "", "", false
	}
	return a.s, id, true
}
