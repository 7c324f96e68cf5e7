package main

import (
	"math"
	"strings"
	"testing"

	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/model"
)

// On the embedded dataset: the SKT–AWS USD 5.1 bn converts to EUR at the
// ECB reference rate, not at the 1.088 USD per EUR implied by article 2's
// EUR 48.6 bn, a figure the dataset records as not matching the ECB rate
// (≈ EUR 4.69 bn before); and no conversion of any record's amount goes
// through a disputed rate.
func TestEmbeddedConversionAvoidsDisputedRates(t *testing.T) {
	ds, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	disputed := 0
	for _, r := range ds.Rates {
		if r.Disputed != "" {
			disputed++
			if r.Origin != model.RateImplied {
				t.Errorf("a disputed %s rate %s/%s", r.Origin, r.Base, r.Quote)
			}
		}
	}
	if disputed == 0 {
		t.Fatal("no rate of the embedded dataset is disputed: article 2's EUR 48.6 bn rates should be")
	}

	inv, ok := ds.Get("skt-aws-ulsan-5-1bn-joint-investment")
	if !ok {
		t.Fatal("no SKT–AWS investment in the embedded dataset")
	}
	a, _ := ds.AmountOf(inv)
	c, err := ds.Convert(a.Money, "EUR", a.At)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Legs) != 1 || c.Legs[0].Origin != model.RateReference {
		t.Fatalf("USD 5.1 bn → EUR: %s; want the reference rate", c.Describe())
	}
	if want := 5.1e9 / 1.0465; math.Abs(c.To.Amount-want) > 1e6 {
		t.Errorf("USD 5.1 bn → EUR %s, want about %s", model.HumanAmount(c.To.Amount), model.HumanAmount(want))
	}
	if !strings.Contains(c.Describe(), "reference rate nearest the date") {
		t.Errorf("Describe %q does not say why", c.Describe())
	}

	// KRW has implied rates only: the conversion says so.
	c, err = ds.Convert(model.Money{Amount: 7e12, Currency: "KRW"}, "USD", a.At)
	if err != nil || !strings.Contains(c.Reason, "no reference rate between KRW and USD") {
		t.Errorf("KRW → USD: reason %q, err %v", c.Reason, err)
	}

	for _, r := range ds.Records() {
		a, ok := ds.AmountOf(r)
		if !ok {
			continue
		}
		for _, cur := range ds.DisplayCurrencies()[1:] {
			c, err := ds.Convert(a.Money, cur, a.At)
			if err != nil {
				continue
			}
			for _, leg := range c.Legs {
				if leg.Disputed != "" {
					t.Errorf("%s → %s goes through a disputed rate: %s", r.RecordID(), cur, c.Describe())
				}
			}
		}
	}
}
