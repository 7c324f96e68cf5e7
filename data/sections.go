package data

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// section is one top-level array of a dataset file.
type section struct {
	key  string
	kind model.Kind
	// slice returns the dataset's slice for this section, settable.
	slice func(ds *model.Dataset) reflect.Value
}

// sections lists the top-level arrays in file order; read-only.
var sections = []section{
	{"sources", model.KindSource, func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Sources).Elem() }},
	{"companies", model.KindCompany, func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Companies).Elem() }},
	{"places", model.KindPlace, func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Places).Elem() }},
	{"regions", model.KindRegion, func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Regions).Elem() }},
	{"facilities", model.KindFacility, func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Facilities).Elem() }},
	{"investments", model.KindInvestment, func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Investments).Elem() }},
	{"announcements", model.KindAnnouncement, func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Announcements).Elem() }},
	{"rates", "rate", func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Rates).Elem() }},
}

// Section indexes, in the order of sections.
const (
	secSources = iota
	secCompanies
	secPlaces
	secRegions
	secFacilities
	secInvestments
	secAnnouncements
	secRates
)

// badStart is the message for a file whose first byte, c, cannot start
// the dataset object. Byte order marks are named: editors on Windows write
// them, and "found byte 0xef" would not say what to change.
func (d *decoder) badStart(c byte) string {
	rest := d.s.buf[d.s.pos:d.s.end]
	switch {
	case bytes.HasPrefix(rest, []byte{0xEF, 0xBB, 0xBF}):
		return "the file starts with a UTF-8 byte order mark (BOM, bytes EF BB BF); save it as UTF-8 without a BOM"
	case bytes.HasPrefix(rest, []byte{0xFE, 0xFF}), bytes.HasPrefix(rest, []byte{0xFF, 0xFE}):
		return "the file starts with a UTF-16 byte order mark; dcx reads UTF-8: save it as UTF-8"
	}
	return "want a JSON object with " + topKeys() + ", found " + describeByte(c)
}

// FormatVersion is the dataset file format this package reads and writes.
const FormatVersion = 1

// topKeys lists the keys a dataset file may hold, for messages.
func topKeys() string {
	keys := []string{`"$schema"`, `"version"`}
	for _, s := range sections {
		keys = append(keys, `"`+s.key+`"`)
	}
	return strings.Join(keys, ", ")
}

// recLoc is where a record starts: the file, its index in its section of
// that file, and its position. Kept for every record so that problems found
// after decoding can still name a line.
type recLoc struct {
	off         int64
	line, col   int32
	file, index int32
}

func (l recLoc) position() position { return position{off: l.off, line: int(l.line), col: int(l.col)} }

// decodeFile decodes one dataset file into ds, appending each record's
// location to locs (one slice per section). It returns false when a syntax
// error stopped it before the end of the file.
func (d *decoder) decodeFile(ds *model.Dataset, locs *[8][]recLoc, fileIdx int) bool {
	fail := func(err error) bool {
		if se, ok := err.(*syntaxError); ok {
			d.probs = append(d.probs, Problem{File: d.file, Line: se.pos.line, Col: se.pos.col, Path: d.errPath, Msg: se.msg})
		} else {
			d.probs = append(d.probs, Problem{File: d.file, Line: 1, Col: 1, Msg: err.Error()})
		}
		return false
	}
	c, ok := d.s.peek()
	if !ok {
		if d.s.rerr != nil {
			return fail(d.s.errorf(d.s.here(), ""))
		}
		return fail(&syntaxError{pos: d.s.here(), msg: "empty file; want a JSON object with " + topKeys()})
	}
	if c != '{' {
		return fail(&syntaxError{pos: d.s.here(), msg: d.badStart(c)})
	}
	d.s.pos++
	var seen [10]bool
	err := d.s.eachMember(func(key []byte, kat position) error {
		name := string(key)
		d.path = append(d.path[:0], pathElem{key: name})
		defer func() { d.path = d.path[:0] }()
		si := -1
		switch name {
		case "$schema":
			si = 8
		case "version":
			si = 9
		default:
			for i, s := range sections {
				if s.key == name {
					si = i
				}
			}
		}
		if si < 0 {
			d.problem(kat, "", "unknown top-level key; want "+topKeys())
			return d.s.skipValue(1)
		}
		if seen[si] {
			d.problem(kat, "", "key given twice in this file")
		}
		seen[si] = true
		c, ok := d.s.peek()
		if !ok {
			return d.s.unexpectedEOF()
		}
		at := d.s.here()
		switch si {
		case 8:
			// The value is not kept: it is checked and skipped, whatever
			// its length.
			if c != '"' {
				return d.mismatch(at, reflect.TypeFor[string](), c)
			}
			return d.s.skipString()
		case 9:
			var version int
			n := len(d.probs)
			if err := d.value(reflect.ValueOf(&version).Elem(), false); err != nil {
				return err
			}
			if len(d.probs) == n && version != FormatVersion {
				d.problem(at, strconv.Itoa(version), fmt.Sprintf("unsupported format version; this dcx reads version %d", FormatVersion))
			}
			return nil
		}
		if c != '[' {
			return d.mismatch(at, reflect.TypeFor[[]int](), c)
		}
		d.s.pos++
		sv := sections[si].slice(ds)
		// shift turns eachElement's index into the record's index when a
		// split decoder has skipped records (see decodeParallel).
		shift := 0
		return d.s.eachElement(func(i int, eat position) error {
			if p := d.split; p != nil {
				if r := &p.skips[si]; r.active && i+shift == r.at {
					r.active = false
					if eat.off != r.startOff {
						return errSplit
					}
					if err := d.s.seekTo(p.rs, r.to); err != nil {
						return err
					}
					shift = r.until - i - 1
					return nil
				}
				i += shift
			}
			d.push(pathElem{idx: i})
			defer d.pop()
			c, _ := d.s.peek()
			if c != '{' {
				return d.mismatch(eat, sv.Type().Elem(), c)
			}
			loc := recLoc{off: eat.off, line: int32(eat.line), col: int32(eat.col), file: int32(fileIdx), index: int32(i)}
			var el reflect.Value
			if d.split != nil {
				// The slices were given their final length up front, and
				// each decoder fills its own records, still zero: their
				// slice was just made, and each is decoded once.
				if i >= sv.Len() {
					return errSplit
				}
				d.split.decoded++
				el = sv.Index(i)
				locs[si][i] = loc
			} else {
				n := sv.Len()
				if n == sv.Cap() {
					sv.Grow(1)
				}
				sv.SetLen(n + 1)
				el = sv.Index(n)
				el.SetZero()
				locs[si] = append(locs[si], loc)
			}
			d.startRecord()
			return d.fatal(d.object(el, eat))
		})
	})
	if err != nil {
		return fail(err)
	}
	if c, ok := d.s.peek(); ok {
		return fail(&syntaxError{pos: d.s.here(), msg: "unexpected " + describeByte(c) + " after the end of the dataset object"})
	}
	if d.s.rerr != nil {
		return fail(d.s.errorf(d.s.here(), ""))
	}
	return true
}
