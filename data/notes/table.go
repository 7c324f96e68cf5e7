// Package notes turns dcx's research notes (Markdown documents of tables:
// Sources, Facilities, Investments, Announcements, Companies) into dataset
// records.
//
// The notes are the material; a row map beside them (data/notes/*.json)
// holds what a reader decides about each row: ids, the company each name
// means, the headline figure of a cell, the status history. Everything else
// is mechanical and done here, so that it is the same for every row: each
// cell becomes evidence quoting it verbatim, with the source keys it cites;
// a conflicts cell is split into one conflict per disagreement; sources and
// companies come from their tables; linked rows (F12, I3) become references.
// The generated file is data/dataset/research.json (go generate ./data).
package notes

import (
	"fmt"
	"strings"
)

// Doc is one notes document: its tables by section title ("Facilities").
type Doc struct {
	Name   string
	Text   string
	Tables map[string]*Table
}

// Table is a Markdown table under a "## Title" heading.
type Table struct {
	Title  string
	Header []string
	Rows   []Row
}

// Row is one line of a table: its 1-based line number in the document, the
// line as written and its cells, trimmed.
type Row struct {
	Line  int
	Text  string
	Cells []string
}

// Key is the row's first cell: "F12", a source key, a company name.
func (r Row) Key() string { return r.Cells[0] }

// Column returns the index of the header cell that starts with prefix, or
// -1: headers carry explanations ("status (as-of)", "status (with as-of
// date)") that differ between the documents.
func (t *Table) Column(prefix string) int {
	for i, h := range t.Header {
		if strings.HasPrefix(h, prefix) {
			return i
		}
	}
	return -1
}

// Parse reads the tables of a notes document. A table row whose number of
// cells differs from its header's is an error naming the line.
func Parse(name, text string) (*Doc, error) {
	d := &Doc{Name: name, Text: text, Tables: map[string]*Table{}}
	lines := strings.Split(text, "\n")
	section := ""
	var cur *Table
	for i, line := range lines {
		line = strings.TrimRight(line, "\r")
		if strings.HasPrefix(line, "## ") {
			section = strings.TrimSpace(line[3:])
			cur = nil
			continue
		}
		if !strings.HasPrefix(line, "|") {
			cur = nil
			continue
		}
		cells, err := splitRow(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, i+1, err)
		}
		switch {
		case cur == nil:
			if section == "" {
				return nil, fmt.Errorf("%s:%d: a table before any \"## \" heading", name, i+1)
			}
			if _, dup := d.Tables[section]; dup {
				return nil, fmt.Errorf("%s:%d: a second table under %q", name, i+1, section)
			}
			cur = &Table{Title: section, Header: cells}
			d.Tables[section] = cur
		case isRule(cells):
			if len(cur.Rows) > 0 {
				return nil, fmt.Errorf("%s:%d: a header rule after the first row", name, i+1)
			}
		default:
			if len(cells) != len(cur.Header) {
				return nil, fmt.Errorf("%s:%d: %d cells, but the %s table has %d columns", name, i+1, len(cells), section, len(cur.Header))
			}
			cur.Rows = append(cur.Rows, Row{Line: i + 1, Text: line, Cells: cells})
		}
	}
	return d, nil
}

func splitRow(line string) ([]string, error) {
	s := strings.TrimSpace(line)
	if len(s) < 2 || !strings.HasSuffix(s, "|") {
		return nil, fmt.Errorf("a table row must start and end with |: %.40q", line)
	}
	parts := strings.Split(s[1:len(s)-1], "|")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts, nil
}

func isRule(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, "-: ") != "" || c == "" {
			return false
		}
	}
	return true
}

// splitTop splits s at sep where no parenthesis is open, so
// "1.2 GW (S-A; S-B) vs 900 MW" splits at " vs " only outside the brackets.
func splitTop(s, sep string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		}
		if depth == 0 && strings.HasPrefix(s[i:], sep) {
			out = append(out, s[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	out = append(out, s[start:])
	parts := out[:0]
	for _, p := range out {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return parts
}
