package data

// tuning holds the thresholds that choose between a load's sequential and
// parallel paths, and how often skipString drops what it has checked. The
// defaults suit real files. Tests lower them (see Options.tune) so that
// small files take the paths large ones do; each load carries its own
// values, so those tests run in parallel with the others.
//
// No package-level variable of data is written once the package is
// initialized, except embeddedOnce (set once, to a read-only dataset) and
// structInfos (a sync.Map of facts derived from the model types): the rest
// are read-only tables, and loads share nothing they write.
type tuning struct {
	// minParallel is the number of records from which a single file is
	// decoded by two decoders at once: below it, the second decoder costs
	// more than it saves.
	minParallel int
	// checkpointEvery is how often, in records, countLayout notes where a
	// record starts: the places a file can be split for parallel decoding.
	checkpointEvery int
	// minSplitCount is the file size from which countFile counts the two
	// halves of a file at once.
	minSplitCount int64
	// discardAt is how many decoded bytes skipString lets gather before
	// checking and dropping them.
	discardAt int
}

func defaultTuning() tuning {
	return tuning{
		minParallel:     1 << 14,
		checkpointEvery: 1024,
		minSplitCount:   32 << 20,
		discardAt:       4 << 10,
	}
}

// tuning is o's tuning: defaultTuning unless a test set another.
func (o Options) tuning() tuning {
	if o.tune != nil {
		return *o.tune
	}
	return defaultTuning()
}
