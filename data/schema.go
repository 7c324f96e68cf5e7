package data

import (
	_ "embed"
)

//go:embed dcx.schema.json
var schema []byte

// Schema returns the JSON Schema (draft 2020-12) of a dataset file, for
// editors: a file that starts with "$schema": "path/to/dcx.schema.json" gets
// completion and checking as it is typed. The schema is generated from the
// model types; `dcx validate` checks more (references, quotes, dates).
func Schema() []byte { return append([]byte(nil), schema...) }

// SchemaRef is the "$schema" value for files in data/dataset.
const SchemaRef = "../dcx.schema.json"
