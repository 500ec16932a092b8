// ---- codeaug io main: imports (placed after the package clause) ----
import (
	codeaugIo "io"
	codeaugOs "os"
	codeaugReflect "reflect"
	codeaugSort "sort"
	codeaugStrconv "strconv"
	codeaugStrings "strings"
)
// @@codeaug-main@@
// ---- codeaug io main: read the arguments from stdin, print the result ----
// Reflection: the entry point's parameter types say how to read, the result's types
// how to print.

const codeaugBatch = __CODEAUG_BATCH__
const codeaugOnePerLine = __CODEAUG_ONE_PER_LINE__
const codeaugTrue = "__CODEAUG_TRUE__"
const codeaugFalse = "__CODEAUG_FALSE__"

var codeaugData string
var codeaugPos = 0
var codeaugLineStart = true

func codeaugSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func codeaugToken() string {
	for codeaugPos < len(codeaugData) && codeaugSpace(codeaugData[codeaugPos]) {
		codeaugPos++
	}
	start := codeaugPos
	for codeaugPos < len(codeaugData) && !codeaugSpace(codeaugData[codeaugPos]) {
		codeaugPos++
	}
	if start == codeaugPos {
		panic("codeaug io: unexpected end of input")
	}
	codeaugLineStart = false
	return codeaugData[start:codeaugPos]
}

func codeaugLine() string {
	if !codeaugLineStart {
		nl := codeaugStrings.IndexByte(codeaugData[codeaugPos:], '\n')
		if nl < 0 {
			codeaugPos = len(codeaugData)
		} else {
			codeaugPos += nl + 1
		}
	}
	end := len(codeaugData)
	if nl := codeaugStrings.IndexByte(codeaugData[codeaugPos:], '\n'); nl >= 0 {
		end = codeaugPos + nl
	}
	text := codeaugData[codeaugPos:end]
	codeaugPos = end
	if codeaugPos < len(codeaugData) {
		codeaugPos++
	}
	codeaugLineStart = true
	return text
}

func codeaugCount() int {
	n, err := codeaugStrconv.Atoi(codeaugToken())
	if err != nil {
		panic(err)
	}
	return n
}

func codeaugRead(t codeaugReflect.Type) codeaugReflect.Value {
	v := codeaugReflect.New(t).Elem()
	switch t.Kind() {
	case codeaugReflect.Bool:
		w := codeaugToken()
		if w != codeaugTrue && w != codeaugFalse {
			panic("codeaug io: not a bool: " + w)
		}
		v.SetBool(w == codeaugTrue)
	case codeaugReflect.Int, codeaugReflect.Int8, codeaugReflect.Int16, codeaugReflect.Int32, codeaugReflect.Int64:
		n, err := codeaugStrconv.ParseInt(codeaugToken(), 10, 64)
		if err != nil || v.OverflowInt(n) {
			panic("codeaug io: not an int of this size")
		}
		v.SetInt(n)
	case codeaugReflect.Uint, codeaugReflect.Uint8, codeaugReflect.Uint16, codeaugReflect.Uint32, codeaugReflect.Uint64:
		n, err := codeaugStrconv.ParseUint(codeaugToken(), 10, 64)
		if err != nil || v.OverflowUint(n) {
			panic("codeaug io: not an unsigned int of this size")
		}
		v.SetUint(n)
	case codeaugReflect.Float32, codeaugReflect.Float64:
		f, err := codeaugStrconv.ParseFloat(codeaugToken(), 64)
		if err != nil {
			panic(err)
		}
		v.SetFloat(f)
	case codeaugReflect.String:
		v.SetString(codeaugLine())
	case codeaugReflect.Slice:
		n := codeaugCount()
		s := codeaugReflect.MakeSlice(t, n, n)
		for i := 0; i < n; i++ {
			s.Index(i).Set(codeaugRead(t.Elem()))
		}
		v.Set(s)
	case codeaugReflect.Array:
		for i := 0; i < t.Len(); i++ {
			v.Index(i).Set(codeaugRead(t.Elem()))
		}
	case codeaugReflect.Map:
		n := codeaugCount()
		m := codeaugReflect.MakeMapWithSize(t, n)
		set := t.Elem().Kind() == codeaugReflect.Struct && t.Elem().NumField() == 0
		for i := 0; i < n; i++ {
			k := codeaugRead(t.Key())
			if set {
				m.SetMapIndex(k, codeaugReflect.Zero(t.Elem()))
			} else {
				m.SetMapIndex(k, codeaugRead(t.Elem()))
			}
		}
		v.Set(m)
	case codeaugReflect.Ptr:
		if codeaugToken() == "1" {
			p := codeaugReflect.New(t.Elem())
			p.Elem().Set(codeaugRead(t.Elem()))
			v.Set(p)
		}
	case codeaugReflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			v.Field(i).Set(codeaugRead(t.Field(i).Type))
		}
	default:
		panic("codeaug io: cannot read a " + t.String())
	}
	return v
}

func codeaugInline(v codeaugReflect.Value) bool {
	switch v.Kind() {
	case codeaugReflect.Bool, codeaugReflect.Int, codeaugReflect.Int8, codeaugReflect.Int16,
		codeaugReflect.Int32, codeaugReflect.Int64, codeaugReflect.Uint, codeaugReflect.Uint8,
		codeaugReflect.Uint16, codeaugReflect.Uint32, codeaugReflect.Uint64,
		codeaugReflect.Float32, codeaugReflect.Float64:
		return true
	case codeaugReflect.Interface:
		return !v.IsNil() && codeaugInline(v.Elem())
	}
	return false
}

// Python's repr of a float, from the shortest round-trip digits.
func codeaugPyFloat(f float64, bits int) string {
	sci := codeaugStrconv.FormatFloat(f, 'e', -1, bits)
	if sci == "NaN" {
		return "nan"
	} else if sci == "+Inf" {
		return "inf"
	} else if sci == "-Inf" {
		return "-inf"
	}
	neg := codeaugStrings.HasPrefix(sci, "-")
	sci = codeaugStrings.TrimPrefix(sci, "-")
	parts := codeaugStrings.SplitN(sci, "e", 2)
	exp, _ := codeaugStrconv.Atoi(parts[1])
	digits := codeaugStrings.TrimRight(codeaugStrings.Replace(parts[0], ".", "", 1), "0")
	sign := ""
	if neg {
		sign = "-"
	}
	if digits == "" {
		return sign + "0.0"
	}
	decpt := exp + 1
	if len(digits) > 12 { // at most 12 significant digits, rounded half-up
		d := []byte(digits[:12])
		if digits[12] >= '5' {
			i := 11
			for i >= 0 && d[i] == '9' {
				d[i] = '0'
				i--
			}
			if i < 0 {
				d = append([]byte{'1'}, d[:11]...)
				decpt++
			} else {
				d[i]++
			}
		}
		digits = codeaugStrings.TrimRight(string(d), "0")
		if digits == "" {
			digits = "0"
		}
	}
	if decpt > -4 && decpt <= 16 {
		if decpt <= 0 {
			return sign + "0." + codeaugStrings.Repeat("0", -decpt) + digits
		}
		if decpt >= len(digits) {
			return sign + digits + codeaugStrings.Repeat("0", decpt-len(digits)) + ".0"
		}
		return sign + digits[:decpt] + "." + digits[decpt:]
	}
	e := decpt - 1
	es := "+"
	if e < 0 {
		es = "-"
		e = -e
	}
	body := digits[:1]
	if len(digits) > 1 {
		body += "." + digits[1:]
	}
	en := codeaugStrconv.Itoa(e)
	if len(en) < 2 {
		en = "0" + en
	}
	return sign + body + "e" + es + en
}

func codeaugTok(v codeaugReflect.Value) string {
	switch v.Kind() {
	case codeaugReflect.Interface:
		return codeaugTok(v.Elem())
	case codeaugReflect.Bool:
		if v.Bool() {
			return codeaugTrue
		}
		return codeaugFalse
	case codeaugReflect.Float32:
		return codeaugPyFloat(v.Float(), 32)
	case codeaugReflect.Float64:
		return codeaugPyFloat(v.Float(), 64)
	case codeaugReflect.Uint, codeaugReflect.Uint8, codeaugReflect.Uint16, codeaugReflect.Uint32, codeaugReflect.Uint64:
		return codeaugStrconv.FormatUint(v.Uint(), 10)
	}
	return codeaugStrconv.FormatInt(v.Int(), 10)
}

func codeaugGroup(out *[]string, tokens []string) {
	if len(tokens) == 0 {
		return
	}
	if codeaugOnePerLine {
		*out = append(*out, tokens...)
	} else {
		*out = append(*out, codeaugStrings.Join(tokens, " "))
	}
}

func codeaugLess(a, b codeaugReflect.Value) bool {
	for a.Kind() == codeaugReflect.Interface {
		a = a.Elem()
	}
	for b.Kind() == codeaugReflect.Interface {
		b = b.Elem()
	}
	switch a.Kind() {
	case codeaugReflect.String:
		return a.String() < b.String()
	case codeaugReflect.Float32, codeaugReflect.Float64:
		return a.Float() < b.Float()
	case codeaugReflect.Uint, codeaugReflect.Uint8, codeaugReflect.Uint16, codeaugReflect.Uint32, codeaugReflect.Uint64:
		return a.Uint() < b.Uint()
	case codeaugReflect.Bool:
		return !a.Bool() && b.Bool()
	}
	return a.Int() < b.Int()
}

func codeaugItems(out *[]string, items []codeaugReflect.Value, counted bool) {
	if counted {
		*out = append(*out, codeaugStrconv.Itoa(len(items)))
	}
	all := true
	for _, it := range items {
		all = all && codeaugInline(it)
	}
	if all {
		tokens := []string{}
		for _, it := range items {
			tokens = append(tokens, codeaugTok(it))
		}
		codeaugGroup(out, tokens)
		return
	}
	for _, it := range items {
		codeaugWrite(out, it)
	}
}

func codeaugWrite(out *[]string, v codeaugReflect.Value) {
	if codeaugInline(v) {
		*out = append(*out, codeaugTok(v))
		return
	}
	switch v.Kind() {
	case codeaugReflect.Interface:
		if v.IsNil() {
			panic("codeaug io: the entry point returned nil")
		}
		codeaugWrite(out, v.Elem())
	case codeaugReflect.String:
		*out = append(*out, v.String())
	case codeaugReflect.Slice, codeaugReflect.Array:
		items := []codeaugReflect.Value{}
		for i := 0; i < v.Len(); i++ {
			items = append(items, v.Index(i))
		}
		codeaugItems(out, items, v.Kind() == codeaugReflect.Slice)
	case codeaugReflect.Map:
		keys := v.MapKeys()
		codeaugSort.Slice(keys, func(i, j int) bool { return codeaugLess(keys[i], keys[j]) })
		t := v.Type()
		if t.Elem().Kind() == codeaugReflect.Struct && t.Elem().NumField() == 0 {
			codeaugItems(out, keys, true)
			return
		}
		*out = append(*out, codeaugStrconv.Itoa(len(keys)))
		for _, k := range keys {
			item := v.MapIndex(k)
			if codeaugInline(k) && codeaugInline(item) {
				codeaugGroup(out, []string{codeaugTok(k), codeaugTok(item)})
			} else {
				codeaugWrite(out, k)
				codeaugWrite(out, item)
			}
		}
	case codeaugReflect.Ptr:
		if v.IsNil() {
			*out = append(*out, "0")
		} else {
			*out = append(*out, "1")
			codeaugWrite(out, v.Elem())
		}
	case codeaugReflect.Struct:
		items := []codeaugReflect.Value{}
		for i := 0; i < v.NumField(); i++ {
			items = append(items, v.Field(i))
		}
		codeaugItems(out, items, false)
	default:
		panic("codeaug io: cannot print a " + v.Type().String())
	}
}

func main() {
	raw, err := codeaugIo.ReadAll(codeaugOs.Stdin)
	if err != nil {
		panic(err)
	}
	codeaugData = string(raw)
	entry := codeaugReflect.ValueOf(__CODEAUG_ENTRY__)
	t := entry.Type()
	out := []string{}
	count := 1
	if codeaugBatch {
		count = codeaugCount()
	}
	for c := 0; c < count; c++ {
		args := make([]codeaugReflect.Value, t.NumIn())
		for i := range args {
			args[i] = codeaugRead(t.In(i))
		}
		results := entry.Call(args)
		if len(results) == 1 {
			codeaugWrite(&out, results[0])
		} else if len(results) > 1 {
			codeaugItems(&out, results, false)
		}
	}
	var b codeaugStrings.Builder
	for _, line := range out {
		b.WriteString(line)
		b.WriteByte('\n')
	}
	codeaugOs.Stdout.WriteString(b.String())
}
