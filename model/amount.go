package model

import (
	"cmp"
	"slices"
)

// Amount is the money a record stands for: the figure as its sources state
// it, the date it converts at, and From, the id of the record the figure is
// stated on when that is not the record itself ("" when it is its own).
type Amount struct {
	Money Money
	At    Date
	From  string
}

// AmountOf is the one definition of a record's amount: the table, the
// detail, the comparison, the search filters (usd>=1e9) and the exports all
// answer with it, so that a record shows, sorts, matches and exports the
// same figure everywhere.
//
//   - An investment: its Amount, at its Announced date.
//   - A facility: its Capex, at its announced date (Facility.AnnouncedDate);
//     without one, the amount of the investment it is part of: the one its
//     Investment field names, else, of the investments that list it among
//     their facilities, the one paying for the fewest sites (a site's own
//     deal rather than a company's yearly capex), then the smallest.
//   - An announcement: the largest in USD of the amounts of the records it
//     concerns, with From naming the record the figure is stated on.
//
// Other records have none, and so does a record whose sources give no
// figure (ok is false).
func (d *Dataset) AmountOf(r Record) (Amount, bool) {
	switch r := r.(type) {
	case *Investment:
		if r.Amount == nil {
			return Amount{}, false
		}
		return Amount{Money: *r.Amount, At: r.Announced}, true
	case *Facility:
		return d.facilityAmount(r)
	case *Announcement:
		return d.announcementAmount(r)
	}
	return Amount{}, false
}

func (d *Dataset) facilityAmount(f *Facility) (Amount, bool) {
	if f.Capex != nil {
		return Amount{Money: *f.Capex, At: f.AnnouncedDate()}, true
	}
	borrowed := func(inv *Investment) Amount {
		return Amount{Money: *inv.Amount, At: inv.Announced, From: inv.ID}
	}
	if r, ok := d.Get(f.Investment); ok {
		if inv, ok := r.(*Investment); ok && inv.Amount != nil {
			return borrowed(inv), true
		}
	}
	var best *Investment
	var bestUSD float64
	for _, inv := range d.fundedBy(f) {
		usd, _ := d.usdValue(*inv.Amount, inv.Announced)
		if best == nil {
			best, bestUSD = inv, usd
			continue
		}
		// Fewer sites first; then the smaller figure, an amount that
		// converts beating one that does not (usdValue gives -1).
		if c := cmp.Compare(len(inv.Facilities), len(best.Facilities)); c < 0 ||
			c == 0 && usd >= 0 && (bestUSD < 0 || usd < bestUSD) {
			best, bestUSD = inv, usd
		}
	}
	if best == nil {
		return Amount{}, false
	}
	return borrowed(best), true
}

// fundedBy lists, in record order, the investments with an amount that name
// f among their facilities.
func (d *Dataset) fundedBy(f *Facility) []*Investment {
	i, ok := d.byID[f.ID]
	if !ok || d.revStart == nil {
		return nil
	}
	var out []*Investment
	for _, j := range d.revList[d.revStart[i]:d.revStart[i+1]] {
		inv, ok := d.records[j].(*Investment)
		if ok && inv.Amount != nil && slices.Contains(inv.Facilities, f.ID) {
			out = append(out, inv)
		}
	}
	return out
}

// announcementAmount takes the largest amount among the investments and
// facilities an announcement concerns. Announcements it concerns are not
// followed: two could name each other.
func (d *Dataset) announcementAmount(a *Announcement) (Amount, bool) {
	var best Amount
	bestUSD, found := -1.0, false
	for _, id := range a.Records {
		r, ok := d.Get(id)
		if !ok || r.RecordKind() == KindAnnouncement {
			continue
		}
		am, ok := d.AmountOf(r)
		if !ok {
			continue
		}
		if am.From == "" {
			am.From = id
		}
		usd, _ := d.usdValue(am.Money, am.At)
		// The first amount stands until one converts to more; one that
		// cannot be converted only wins when none can.
		if !found || usd > bestUSD {
			best, bestUSD, found = am, usd, true
		}
	}
	return best, found
}

// usdValue is m in USD at the date, or -1 and false when no rate converts it.
func (d *Dataset) usdValue(m Money, at Date) (float64, bool) {
	c, err := d.Convert(m, "USD", at)
	if err != nil {
		return -1, false
	}
	return c.To.Amount, true
}
