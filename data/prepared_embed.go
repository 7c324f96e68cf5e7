//go:build !nosnapshot

package data

import _ "embed"

// snapshotBlob is the snapshot of the embedded dataset (see data/snapshot),
// made by go generate, as a string: the dataset's strings are substrings of
// it, read where the binary maps it, never copied. The generator builds
// without it (-tags nosnapshot), so a missing or broken snapshot can
// always be made again.
//
//go:embed prepared/dataset.snap
var snapshotBlob string
