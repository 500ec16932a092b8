// codeaug's runtime for Go `calls` tests (copied into each job as codeaug_harness.go).
//
// The generated codeaug_main.go calls the entry point once per case through
// codeaugRun, which reports the returned value as JSON on stdout, one line per case,
// after a newline (protocol: codeaug/calls.py), and a panic as "raised". The host
// compares. Every identifier starts with "codeaug" and every import is renamed, so the
// candidate's package-level names cannot collide with the harness.
package main

import (
	codeaugFmt "fmt"
	codeaugMath "math"
	codeaugOs "os"
	codeaugReflect "reflect"
	codeaugSort "sort"
	codeaugStrconv "strconv"
	codeaugStrings "strings"
	codeaugUtf8 "unicode/utf8"
)

const codeaugCaseMarker = "@@codeaug-case@@"
const codeaugDoneMarker = "@@codeaug-done@@"
const codeaugMaxDepth = 1000

func codeaugReport(index int, kind string, payload string) {
	codeaugOs.Stdout.WriteString("\n" + codeaugCaseMarker + " " + codeaugStrconv.Itoa(index) +
		" " + kind + " " + payload + "\n")
}

// codeaugRun calls one case; a panic is that case's "raised" report.
func codeaugRun(index int, call func() interface{}) {
	defer func() {
		if r := recover(); r != nil {
			var message string
			switch e := r.(type) {
			case error:
				message = e.Error()
			case string:
				message = e
			default:
				message = codeaugFmt.Sprint(r)
			}
			codeaugReport(index, "raised", codeaugQuote("panic: "+message))
		}
	}()
	value := call()
	var b codeaugStrings.Builder
	if err := codeaugWrite(&b, codeaugReflect.ValueOf(value), 0); err != "" {
		codeaugReport(index, "unserializable", codeaugQuote(err))
		return
	}
	codeaugReport(index, "ok", b.String())
}

func codeaugDone() {
	codeaugOs.Stdout.WriteString("\n" + codeaugDoneMarker + "\n")
}

// codeaugWrite appends v as JSON: slices, arrays and structs (tuples) as arrays,
// map[K]struct{} (sets) as arrays, other maps as objects with string keys, nil pointers
// and interfaces as null, nil slices and maps as empty containers. It returns a
// description of what it could not print, or "".
func codeaugWrite(b *codeaugStrings.Builder, v codeaugReflect.Value, depth int) string {
	if depth > codeaugMaxDepth {
		return "value nested deeper than 1000 levels (a cycle?)"
	}
	switch v.Kind() {
	case codeaugReflect.Invalid:
		b.WriteString("null")
	case codeaugReflect.Bool:
		if v.Bool() {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case codeaugReflect.Int, codeaugReflect.Int8, codeaugReflect.Int16, codeaugReflect.Int32,
		codeaugReflect.Int64:
		b.WriteString(codeaugStrconv.FormatInt(v.Int(), 10))
	case codeaugReflect.Uint, codeaugReflect.Uint8, codeaugReflect.Uint16, codeaugReflect.Uint32,
		codeaugReflect.Uint64, codeaugReflect.Uintptr:
		b.WriteString(codeaugStrconv.FormatUint(v.Uint(), 10))
	case codeaugReflect.Float32:
		b.WriteString(codeaugFloat(v.Float(), 32))
	case codeaugReflect.Float64:
		b.WriteString(codeaugFloat(v.Float(), 64))
	case codeaugReflect.String:
		b.WriteString(codeaugQuote(v.String()))
	case codeaugReflect.Slice, codeaugReflect.Array:
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := codeaugWrite(b, v.Index(i), depth+1); err != "" {
				return err
			}
		}
		b.WriteByte(']')
	case codeaugReflect.Struct:
		b.WriteByte('[')
		for i := 0; i < v.NumField(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := codeaugWrite(b, v.Field(i), depth+1); err != "" {
				return err
			}
		}
		b.WriteByte(']')
	case codeaugReflect.Map:
		return codeaugWriteMap(b, v, depth)
	case codeaugReflect.Pointer, codeaugReflect.Interface:
		if v.IsNil() {
			b.WriteString("null")
			return ""
		}
		return codeaugWrite(b, v.Elem(), depth+1)
	default:
		return "a " + v.Type().String() + " is not a JSON value"
	}
	return ""
}

func codeaugWriteMap(b *codeaugStrings.Builder, v codeaugReflect.Value, depth int) string {
	elem := v.Type().Elem()
	isSet := elem.Kind() == codeaugReflect.Struct && elem.NumField() == 0
	type entry struct {
		key  string
		json string
	}
	entries := make([]entry, 0, v.Len())
	iter := v.MapRange()
	for iter.Next() {
		var kb, vb codeaugStrings.Builder
		if err := codeaugWrite(&kb, iter.Key(), depth+1); err != "" {
			return err
		}
		key := kb.String()
		if !isSet {
			if err := codeaugWrite(&vb, iter.Value(), depth+1); err != "" {
				return err
			}
			if !codeaugStrings.HasPrefix(key, "\"") {
				switch iter.Key().Kind() {
				case codeaugReflect.Struct, codeaugReflect.Array, codeaugReflect.Pointer,
					codeaugReflect.Interface:
					return "a map key of type " + iter.Key().Type().String() +
						" is not a JSON object key"
				}
				key = codeaugQuote(key)
			}
		}
		entries = append(entries, entry{key, vb.String()})
	}
	codeaugSort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
	if isSet {
		b.WriteByte('[')
	} else {
		b.WriteByte('{')
	}
	for i, e := range entries {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(e.key)
		if !isSet {
			b.WriteByte(':')
			b.WriteString(e.json)
		}
	}
	if isSet {
		b.WriteByte(']')
	} else {
		b.WriteByte('}')
	}
	return ""
}

// codeaugFloat: the shortest text that reads back as exactly f (always with a "." or
// an exponent, so -0.0 keeps its sign; Go's shortest round-trip digits, at most 17
// significant), or NaN / Infinity / -Infinity.
func codeaugFloat(f float64, bits int) string {
	switch {
	case codeaugMath.IsNaN(f):
		return "NaN"
	case codeaugMath.IsInf(f, 1):
		return "Infinity"
	case codeaugMath.IsInf(f, -1):
		return "-Infinity"
	}
	format := byte('f') // like Python's repr: exponents only for tiny and huge magnitudes
	if abs := codeaugMath.Abs(f); abs != 0 && (abs < 1e-4 || abs >= 1e16) {
		format = 'g'
	}
	s := codeaugStrconv.FormatFloat(f, format, -1, bits)
	if !codeaugStrings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// codeaugQuote: a JSON string; invalid UTF-8 bytes become U+FFFD, as in encoding/json.
func codeaugQuote(s string) string {
	var b codeaugStrings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := codeaugUtf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == codeaugUtf8.RuneError && size == 1:
			b.WriteString(`\ufffd`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029:
			b.WriteString(codeaugFmt.Sprintf(`\u%04x`, r))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
