package model

import (
	"reflect"
	"strings"
)

// Filled lists the JSON names of the fields of a record (or any struct of
// the dataset) that hold a value: what evidence must support, and what a
// converter may say it supports.
func Filled(rec any) map[string]bool {
	out := map[string]bool{}
	v := reflect.ValueOf(rec)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return out
	}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f, fv := t.Field(i), v.Field(i)
			if f.Anonymous {
				walk(fv)
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name != "" && name != "-" && !fv.IsZero() && (fv.Kind() != reflect.Slice || fv.Len() > 0) {
				out[name] = true
			}
		}
	}
	walk(v)
	return out
}
