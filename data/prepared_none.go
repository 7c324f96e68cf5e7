//go:build nosnapshot

package data

// snapshotBlob is empty when built without the snapshot, as go generate
// builds the snapshot's generator: the dataset is read from the JSON.
var snapshotBlob string
