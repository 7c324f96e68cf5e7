package model

// AnnouncedDate is when a facility was announced, else its first milestone:
// the date its money is converted at and its row is dated by.
func (f *Facility) AnnouncedDate() Date {
	for _, m := range f.Milestones {
		if m.Kind == MilestoneAnnounced {
			return m.Date
		}
	}
	if len(f.Milestones) > 0 {
		return f.Milestones[0].Date
	}
	return Date{}
}
