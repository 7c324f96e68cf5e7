package data

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dcx-explorer/dcx/model"
)

var update = flag.Bool("update", false, "rewrite dcx.schema.json from the model types")

const schemaFile = "dcx.schema.json"

// enumTypes gives each enumeration type its known values.
var enumTypes = map[reflect.Type]any{
	reflect.TypeFor[model.SourceKind]():       sourceKinds,
	reflect.TypeFor[model.CompanyKind]():      companyKinds,
	reflect.TypeFor[model.PlaceKind]():        placeKinds,
	reflect.TypeFor[model.RegionStatus]():     regionStatuses,
	reflect.TypeFor[model.FacilityStatus]():   facilityStatuses,
	reflect.TypeFor[model.MilestoneKind]():    milestoneKinds,
	reflect.TypeFor[model.AnnouncementKind](): announcementKinds,
	reflect.TypeFor[model.RateOrigin]():       rateOrigins,
	reflect.TypeFor[model.Precision]():        precisions,
}

const (
	slugPattern = `^[a-z0-9]+(-[a-z0-9]+)*$`
	datePattern = `^[0-9]{4}(-([Qq][1-4]|(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?))?$`
	langPattern = `^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`
)

// fieldSchema adds the constraints the validator applies to a field, where a
// schema can say them, to its type's schema.
func fieldSchema(owner reflect.Type, name string, t reflect.Type, required bool) map[string]any {
	s := typeSchema(t)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case name == "id":
		s["pattern"] = slugPattern
	case owner == reflect.TypeFor[model.Money]() && name == "currency",
		owner == reflect.TypeFor[model.Rate]() && (name == "base" || name == "quote"):
		s["enum"] = model.CurrencyCodes()
	case owner == reflect.TypeFor[model.Date]() && name == "value":
		s["pattern"] = datePattern
	case owner == reflect.TypeFor[model.Date]() && name == "qualifier":
		s["enum"] = model.DateQualifiers()
	case owner == reflect.TypeFor[model.Source]() && name == "language":
		s["pattern"] = langPattern
	case owner == reflect.TypeFor[model.Source]() && name == "url":
		s["pattern"] = `^https?://`
	case owner == reflect.TypeFor[model.Region]() && name == "zone_ids":
		s["items"] = map[string]any{"type": "string", "pattern": slugPattern}
	case owner == reflect.TypeFor[model.Coords]() && name == "lat":
		s["minimum"], s["maximum"] = -90, 90
	case owner == reflect.TypeFor[model.Coords]() && name == "lon":
		s["minimum"], s["maximum"] = -180, 180
	case owner == reflect.TypeFor[model.Rate]() && name == "value":
		s["exclusiveMinimum"] = 0
	case t.Kind() == reflect.Float64 || t.Kind() == reflect.Int:
		s["minimum"] = 0
	case required && t.Kind() == reflect.String && s["enum"] == nil:
		s["pattern"] = `\S`
	case required && t.Kind() == reflect.Slice && name == "evidence":
		s["minItems"] = 1
	}
	return s
}

func typeSchema(t reflect.Type) map[string]any {
	if list, ok := enumTypes[t]; ok {
		return map[string]any{"enum": list}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return typeSchema(t.Elem())
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int:
		return map[string]any{"type": "integer"}
	case reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": typeSchema(t.Elem())}
	case reflect.Struct:
		return map[string]any{"$ref": "#/$defs/" + t.Name()}
	}
	panic("schema: unhandled type " + t.String())
}

// generateSchema derives the JSON Schema from the model types the decoder
// reads, so the schema cannot drift from the code.
func generateSchema() ([]byte, error) {
	defs := map[string]any{}
	var define func(t reflect.Type)
	define = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || defs[t.Name()] != nil {
			return
		}
		si := infoFor(t)
		props := map[string]any{}
		required := []string{}
		defs[t.Name()] = true // placeholder against recursion
		for _, f := range si.fields {
			ft := t.FieldByIndex(f.index).Type
			props[f.name] = fieldSchema(t, f.name, ft, f.required)
			if f.required {
				required = append(required, f.name)
			}
			define(ft)
		}
		def := map[string]any{"type": "object", "additionalProperties": false, "properties": props}
		// Every record but a source needs evidence of its own.
		if _, ok := reflect.New(t).Interface().(model.Record); ok && t != reflect.TypeFor[model.Source]() {
			required = append(required, "evidence")
			props["evidence"].(map[string]any)["minItems"] = 1
		}
		if len(required) > 0 {
			def["required"] = required
		}
		defs[t.Name()] = def
	}
	props := map[string]any{
		"$schema": map[string]any{"type": "string", "description": "Path or URL of this schema, for editors."},
		"version": map[string]any{"const": FormatVersion, "description": "Format version of the file."},
	}
	for _, sec := range sections {
		t := sec.slice(&model.Dataset{}).Type()
		props[sec.key] = typeSchema(t)
		define(t)
	}
	schema := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  "https://github.com/dcx-explorer/dcx/data/dcx.schema.json",
		"title":                "dcx dataset file",
		"description":          "One file of a dcx dataset. Generated from the Go model types by `go test ./data -run TestSchema -update`; dcx validate checks more (references, quotes, date precision).",
		"type":                 "object",
		"additionalProperties": false,
		"properties":           props,
		"$defs":                defs,
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(schema) // maps encode with sorted keys: stable output
	return b.Bytes(), err
}

// Not parallel: with -update it rewrites the file TestSchemaAgreesWithLoader
// reads, and parallel tests only start once the others are done.
func TestSchemaIsGeneratedFromModel(t *testing.T) {
	want, err := generateSchema()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(schemaFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date with the model types; run: go test ./data -run TestSchema -update", schemaFile)
	}
	if !bytes.Equal(Schema(), got) {
		t.Error("Schema() differs from the file")
	}
}

// Embedded files that name a schema must name this one, by the path an
// editor resolves from data/dataset.
func TestEmbeddedFilesReferenceSchema(t *testing.T) {
	t.Parallel()
	names, _ := fs.Glob(embedded, "dataset/*.json")
	for _, n := range names {
		b, _ := fs.ReadFile(embedded, n)
		var head struct {
			Schema *string `json:"$schema"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			t.Fatal(err)
		}
		if head.Schema != nil && *head.Schema != SchemaRef {
			t.Errorf("%s: $schema is %q, want %q", n, *head.Schema, SchemaRef)
		}
	}
}

// The schema must accept every valid file and reject invalid ones, checked
// with a small validator of the keywords the schema uses.
func TestSchemaAgreesWithLoader(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	check := func(file string) []string {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			return []string{"not JSON"}
		}
		return schemaCheck(schema, schema, doc, "")
	}
	valid, _ := fs.Glob(os.DirFS("."), "dataset/*.json")
	valid = append(valid, "testdata/valid/all-kinds.json")
	for _, f := range valid {
		if errs := check(f); len(errs) > 0 {
			t.Errorf("schema rejects valid %s: %v", f, errs[:min(5, len(errs))])
		}
	}
	// Fixtures whose problem a schema can express.
	for _, name := range []string{
		"unknown-field", "field-case", "wrong-type", "null-value", "integer-fraction", "missing-field",
		"empty-required", "date-missing-value", "money-missing-currency", "version", "unknown-top-key",
		"id-slug", "no-evidence", "evidence-translation", "footprint-evidence", "currency", "amount-negative",
		"rate-value", "rate-currency", "rate-origin", "date-value", "date-qualifier", "negative-mw",
		"negative-gpus", "latitude", "longitude", "negative-zones", "region-status", "facility-status",
		"milestone-kind", "source-kind", "place-kind", "company-kind", "announcement-kind", "source-url",
		"source-language",
	} {
		if errs := check("testdata/invalid/" + name + ".json"); len(errs) == 0 {
			t.Errorf("schema accepts invalid %s.json", name)
		}
	}
}

// schemaCheck validates doc against the subset of JSON Schema 2020-12 that
// dcx.schema.json uses, returning what fails.
func schemaCheck(root, s map[string]any, doc any, at string) []string {
	var errs []string
	fail := func(f string, a ...any) { errs = append(errs, at+": "+fmt.Sprintf(f, a...)) }
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/$defs/")
		return schemaCheck(root, root["$defs"].(map[string]any)[name].(map[string]any), doc, at)
	}
	if c, ok := s["const"]; ok && !reflect.DeepEqual(c, doc) {
		fail("want %v", c)
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return e == doc }) {
		fail("%v not in enum", doc)
	}
	switch typ, _ := s["type"].(string); typ {
	case "object":
		obj, ok := doc.(map[string]any)
		if !ok {
			fail("want object")
			break
		}
		props, _ := s["properties"].(map[string]any)
		for k, v := range obj {
			ps, ok := props[k].(map[string]any)
			if !ok {
				if s["additionalProperties"] == false {
					fail("unknown %s", k)
				}
				continue
			}
			errs = append(errs, schemaCheck(root, ps, v, at+"."+k)...)
		}
		req, _ := s["required"].([]any)
		for _, r := range req {
			if _, ok := obj[r.(string)]; !ok {
				fail("missing %s", r)
			}
		}
	case "array":
		arr, ok := doc.([]any)
		if !ok {
			fail("want array")
			break
		}
		if m, ok := s["minItems"].(float64); ok && float64(len(arr)) < m {
			fail("fewer than %v items", m)
		}
		for i, v := range arr {
			errs = append(errs, schemaCheck(root, s["items"].(map[string]any), v, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case "string":
		str, ok := doc.(string)
		if !ok {
			fail("want string")
			break
		}
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			fail("%q does not match %s", str, p)
		}
	case "integer", "number":
		n, ok := doc.(float64)
		if !ok || (typ == "integer" && n != float64(int64(n))) {
			fail("want %s", typ)
			break
		}
		if m, ok := s["minimum"].(float64); ok && n < m {
			fail("%v < %v", n, m)
		}
		if m, ok := s["maximum"].(float64); ok && n > m {
			fail("%v > %v", n, m)
		}
		if m, ok := s["exclusiveMinimum"].(float64); ok && n <= m {
			fail("%v <= %v", n, m)
		}
	case "boolean":
		if _, ok := doc.(bool); !ok {
			fail("want boolean")
		}
	}
	return errs
}
