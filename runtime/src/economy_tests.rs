//! The money path against the real runtime: datasets filled by contributors, a base model, a
//! fine-tune and a composition, paid invocations, distribution and claims, checked to the unit
//! against a hand computation; newcomers earn only later revenue; a property test of random
//! contributions, invocations, distributions and claims keeps every invariant and conserves
//! funds after each of more than 10,000 steps.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

use crate::{
	configs::TreasuryAccount, AccountId, Balance, Balances, InvocationMetering, ModelRegistry,
	RoyaltyDistribution, Runtime, RuntimeOrigin, System, EXISTENTIAL_DEPOSIT, UNIT,
};
use frame_support::{assert_noop, assert_ok};
use pallet_model_registry::{Beneficiary, Derivatives, Modality};
use sp_keyring::Sr25519Keyring as Keyring;
use sp_runtime::{MultiAddress, Perbill};

use crate::test_chain::*;

#[test]
fn a_three_level_lineage_pays_everyone_upstream_to_the_unit() {
	development().execute_with(|| {
		let issuance = Balances::total_issuance();
		let Lineage3 { d0, d1, tune, composition, .. } = three_levels();
		let (alice, bob, charlie, dave, eve, ferdie) = dev_accounts();
		let route = |model| {
			pallet_model_registry::Routes::<Runtime>::get(model, 1)
				.unwrap()
				.into_iter()
				.map(|(b, p)| (b, p.deconstruct()))
				.collect::<Vec<_>>()
		};
		// Base: Alice 70, d0 20, d1 10. Fine-tune: Alice 35, Ferdie 50, d0 10, d1 5.
		// Composition = 40% fine-tune + 20% base + Charlie 40%:
		// Alice 14 + 14 = 28, Ferdie 20, d0 4 + 4 = 8, d1 2 + 2 = 4.
		let mut expected = vec![
			(Beneficiary::Account(alice.clone()), 280_000_000),
			(Beneficiary::Account(ferdie.clone()), 200_000_000),
			(Beneficiary::Account(charlie.clone()), 400_000_000),
			(Beneficiary::Dataset(d0), 80_000_000),
			(Beneficiary::Dataset(d1), 40_000_000),
		];
		expected.sort();
		assert_eq!(route(composition), expected);

		// BobStash invokes the composition through Dave: 10 units × 5 TRIB = 50 TRIB, 3% of it
		// (1.5 TRIB) to the treasury, 48.5 TRIB royalty; Dave's fee 10 × 0.1 = 1 TRIB.
		let payer = id(Keyring::BobStash);
		let before = free(&payer);
		invoke(&payer, composition, 10, Some(&dave));
		assert_eq!(free(&payer), before - 51 * UNIT);
		// FerdieStash invokes the fine-tune directly: 3 units × 2 TRIB = 6 TRIB, 0.18 TRIB to
		// the treasury, 5.82 TRIB royalty.
		let payer = id(Keyring::FerdieStash);
		let before = free(&payer);
		invoke(&payer, tune, 3, None);
		assert_eq!(free(&payer), before - 6 * UNIT);
		check_invariants();

		let anyone = id(Keyring::EveStash);
		assert_ok!(RoyaltyDistribution::distribute(signed(&anyone), composition, 1));
		assert_ok!(RoyaltyDistribution::distribute(signed(&anyone), tune, 1));
		check_invariants();

		// By hand, in thousandths of a TRIB (composition 48.5 TRIB, fine-tune 5.82 TRIB):
		// Alice: 28% × 48,500 + 35% × 5,820 = 13,580 + 2,037 = 15,617.
		// Ferdie: 20% × 48,500 + 50% × 5,820 = 9,700 + 2,910 = 12,610.
		// Charlie: 40% × 48,500 = 19,400, plus a quarter of d0's pool.
		// d0 gets 8% × 48,500 + 10% × 5,820 = 3,880 + 582 = 4,462: Bob ¾ = 3,346.5,
		//   Charlie ¼ = 1,115.5.
		// d1 gets 4% × 48,500 + 5% × 5,820 = 1,940 + 291 = 2,231: Dave ¼ = 557.75,
		//   Eve ¾ = 1,673.25.
		// Dave also earns his provider fee, 1,000; the treasury 1,500 + 180 = 1,680.
		let micro = UNIT / 1_000_000;
		let pools = [d0, d1];
		assert_eq!(claim_all(&alice, &pools), 15_617 * MILLI);
		assert_eq!(claim_all(&ferdie, &pools), 12_610 * MILLI);
		assert_eq!(claim_all(&charlie, &pools), 19_400 * MILLI + 1_115_500 * micro);
		assert_eq!(claim_all(&bob, &pools), 3_346_500 * micro);
		assert_eq!(claim_all(&dave, &pools), 1_000 * MILLI + 557_750 * micro);
		assert_eq!(claim_all(&eve, &pools), 1_673_250 * micro);
		assert_eq!(claim_all(&TreasuryAccount::get(), &pools), 1_680 * MILLI);

		// Everything paid in was paid out: the pot is back to its existential deposit.
		assert_eq!(RoyaltyDistribution::obligations(), 0);
		assert_eq!(free(&RoyaltyDistribution::pot()), EXISTENTIAL_DEPOSIT);
		assert_eq!(Balances::total_issuance(), issuance);
		// Usage: the composition was invoked once for 10 units and earned 50 TRIB; d0 and d1
		// were used by both invocations.
		let usage = pallet_invocation_metering::ModelUsages::<Runtime>::get(composition);
		assert_eq!((usage.invocations, usage.units, usage.revenue), (1, 10, 50 * UNIT));
		let usage = pallet_royalty_distribution::DatasetUsages::<Runtime>::get(d0);
		assert_eq!((usage.invocations, usage.units, usage.revenue), (2, 13, 4_462 * MILLI));
		check_invariants();
	});
}

/// The base's license demands 20% and 2 TRIB per unit of any derivative. Ferdie's fine-tune
/// gives it 20% and would sell at price 0 through Ferdie's own offer at 100 TRIB per unit:
/// refused. At its floor (2 / 20% = 10 TRIB per unit), three units through the offer pay the
/// base exactly 3 × 2 TRIB less the 3% protocol fee, to the unit.
#[test]
fn a_derivative_cannot_route_its_revenue_around_an_absolute_royalty() {
	development().execute_with(|| {
		let (alice, ferdie) = (id(Keyring::Alice), id(Keyring::Ferdie));
		let mut base = spec(pct(100), &[], &[], 10 * UNIT);
		base.license.derivatives =
			Derivatives::Allowed { min_upstream_share: pct(20), min_royalty_per_unit: 2 * UNIT };
		let base = register(&alice, base);
		let mut tune = spec(pct(80), &[], &[(base, pct(20))], 0);
		tune.license.derivatives =
			Derivatives::Allowed { min_upstream_share: pct(20), min_royalty_per_unit: 10 * UNIT };
		assert_eq!(
			ModelRegistry::register(
				signed(&ferdie),
				b"tune".to_vec(),
				Modality::Text,
				tune.clone()
			),
			Err(pallet_model_registry::Error::<Runtime>::PriceBelowRoyaltyFloor.into())
		);
		tune.price_per_unit = 10 * UNIT;
		let tune = register(&ferdie, tune);
		assert_ok!(InvocationMetering::register_offer(
			signed(&ferdie),
			tune,
			100 * UNIT,
			b"https://ferdie.example".to_vec()
		));

		let payer = id(Keyring::EveStash);
		let before = free(&payer);
		invoke(&payer, tune, 3, Some(&ferdie));
		assert_eq!(free(&payer), before - 330 * UNIT);
		assert_ok!(RoyaltyDistribution::distribute(signed(&payer), tune, 1));
		// 30 TRIB of price: 0.9 to the treasury, 29.1 along the route, 20% of it (5.82 TRIB)
		// to the base: 3 × 2 TRIB net of the 3% protocol fee.
		assert_eq!(claim_all(&alice, &[]), 5_820 * MILLI);
		assert_eq!(RoyaltyDistribution::claimable_credits(&ferdie), 23_280 * MILLI + 300 * UNIT);
		check_invariants();
	});
}

#[test]
fn a_contributor_who_joins_later_earns_only_from_later_revenue() {
	development().execute_with(|| {
		let (alice, bob, charlie) = (id(Keyring::Alice), id(Keyring::Bob), id(Keyring::Charlie));
		let d0 = dataset(&alice, pct(10), 1);
		contribute(d0, &bob, 10);
		let model = register(&alice, spec(pct(50), &[(d0, pct(50))], &[], UNIT));
		let payer = id(Keyring::DaveStash);
		invoke(&payer, model, 100, None); // 97 TRIB royalty: 48.5 to d0, all Bob's
		assert_ok!(RoyaltyDistribution::distribute(signed(&payer), model, 1));
		contribute(d0, &charlie, 10);
		invoke(&payer, model, 100, None); // 48.5 TRIB more to d0, split evenly
		assert_ok!(RoyaltyDistribution::distribute(signed(&payer), model, 1));
		assert_eq!(
			RoyaltyDistribution::claimable_in_pool(d0, &bob),
			48_500 * MILLI + 24_250 * MILLI
		);
		assert_eq!(RoyaltyDistribution::claimable_in_pool(d0, &charlie), 24_250 * MILLI);
		assert_eq!(claim_all(&charlie, &[d0]), 24_250 * MILLI);
		check_invariants();
	});
}

#[test]
fn a_thousand_invocations_are_distributed_and_claimed_once() {
	development().execute_with(|| {
		let Lineage3 { d0, d1, composition, .. } = three_levels();
		let payer = id(Keyring::AliceStash);
		let dave = id(Keyring::Dave);
		for _ in 0..1_000 {
			invoke(&payer, composition, 1, Some(&dave));
		}
		assert_ok!(RoyaltyDistribution::distribute(signed(&payer), composition, 1));
		// 1,000 × 4.85 TRIB royalty; Bob holds ¾ of d0, which gets 8% of it.
		let bob = id(Keyring::Bob);
		assert_eq!(claim_all(&bob, &[d0, d1]), 1_000 * 4_850 * MILLI * 8 / 100 * 3 / 4);
		assert_eq!(
			claim_all(&dave, &[d0, d1]),
			1_000 * 100 * MILLI + 1_000 * 4_850 * MILLI * 4 / 100 / 4
		);
		check_invariants();
	});
}

// ------------------------------------------------------------------ property test

#[derive(Debug, Clone)]
enum Step {
	Contribute {
		dataset: u8,
		who: u8,
		items: u8,
	},
	Invoke {
		model: u8,
		payer: u8,
		units: u8,
		provider: bool,
	},
	Distribute {
		model: u8,
	},
	Claim {
		who: u8,
	},
	/// Blocks pass, each ending with `on_idle`: automatic distribution and late joiners'
	/// shares activating.
	Blocks {
		count: u8,
	},
	/// Ferdie disputes a model's lineage; sudo upholds it, rejects it or lets it wait.
	Dispute {
		model: u8,
		ruling: u8,
	},
	/// A model's owner prices it at zero (refused where a parent's license sets a royalty
	/// floor).
	PriceZero {
		model: u8,
	},
}

fn step() -> impl proptest::strategy::Strategy<Value = Step> {
	use proptest::prelude::*;
	prop_oneof![
		1 => (0..2u8, 0..12u8, 1..20u8).prop_map(|(dataset, who, items)| Step::Contribute {
			dataset,
			who,
			items
		}),
		3 => (0..3u8, 0..12u8, 1..50u8, any::<bool>()).prop_map(|(model, payer, units, provider)| {
			Step::Invoke { model, payer, units, provider }
		}),
		1 => (0..3u8).prop_map(|model| Step::Distribute { model }),
		1 => (0..12u8).prop_map(|who| Step::Claim { who }),
		1 => (1..200u8).prop_map(|count| Step::Blocks { count }),
		1 => (0..3u8, 0..3u8).prop_map(|(model, ruling)| Step::Dispute { model, ruling }),
		1 => (0..3u8).prop_map(|model| Step::PriceZero { model }),
	]
}

proptest::proptest! {
	#![proptest_config(proptest::prelude::ProptestConfig::with_cases(21))]

	/// 21 runs of 500 steps (10,500 in all) of contributions, invocations, distributions by hand
	/// and by `on_idle`, claims, lineage disputes (upheld, rejected or left open until their
	/// freeze ends) and owners pricing any of the models at zero: after every step every pallet's invariants hold, the pot
	/// holds exactly what it owes and no funds appear or vanish; at the end, everything
	/// distributed and claimed leaves only sub-unit rounding in the pot.
	#[test]
	fn random_contributions_invocations_and_claims_conserve_funds(
		steps in proptest::collection::vec(step(), 500)
	) {
		development().execute_with(|| {
			let issuance = Balances::total_issuance();
			let Lineage3 { d0, d1, base, tune, composition } = three_levels();
			let accounts: Vec<AccountId> = Keyring::well_known().map(|k| k.to_account_id()).collect();
			let models = [base, tune, composition];
			let dave = id(Keyring::Dave);
			let ferdie = id(Keyring::Ferdie);
			// The dataset the disputes claim the models hid.
			let hidden = dataset(&id(Keyring::Alice), Perbill::zero(), 1);
			for model in [base, tune] {
				assert_ok!(InvocationMetering::register_offer(
					signed(&dave),
					model,
					7 * MILLI,
					Default::default()
				));
			}
			for step in &steps {
				match step {
					Step::Contribute { dataset, who, items } => {
						let dataset = [d0, d1][*dataset as usize];
						contribute(dataset, &accounts[*who as usize], *items as u32);
					},
					Step::Invoke { model, payer, units, provider } => {
						let model = models[*model as usize];
						let payer = &accounts[*payer as usize];
						if ModelRegistry::is_infringing(model, 1) {
							// Found infringing by an upheld dispute: no invocation goes through.
							assert_noop!(
								InvocationMetering::invoke(
									signed(payer),
									model,
									None,
									*units as u64,
									None,
									Balance::MAX
								),
								pallet_invocation_metering::Error::<Runtime>::Infringing
							);
						} else {
							invoke(payer, model, *units as u64, provider.then_some(&dave));
						}
					},
					Step::Distribute { model } => {
						let _ = RoyaltyDistribution::distribute(
							signed(&dave),
							models[*model as usize],
							1,
						);
					},
					Step::Claim { who } => {
						claim_all(&accounts[*who as usize], &[d0, d1]);
					},
					Step::Blocks { count } => {
						use frame_support::traits::Hooks;
						for _ in 0..*count {
							let now = System::block_number() + 1;
							System::set_block_number(now);
							RoyaltyDistribution::on_idle(now, frame_support::weights::Weight::MAX);
						}
					},
					Step::Dispute { model, ruling } => {
						let model = models[*model as usize];
						let claim = pallet_model_registry::DisputeClaim::OmittedDataset(hidden);
						let dispute = pallet_model_registry::NextDisputeId::<Runtime>::get();
						let evidence = Default::default();
						if ModelRegistry::open_dispute(signed(&ferdie), model, 1, claim, evidence)
							.is_ok() && *ruling < 2
						{
							let share = Perbill::from_percent(20);
							let _ = ModelRegistry::rule_dispute(
								RuntimeOrigin::root(),
								dispute,
								*ruling == 0,
								share,
							);
						}
					},
					Step::PriceZero { model } => {
						let model = models[*model as usize];
						let owner = pallet_model_registry::Models::<Runtime>::get(model).unwrap().owner;
						let _ = ModelRegistry::set_price(signed(&owner), model, 1, 0);
					},
				}
				check_invariants();
				assert_eq!(Balances::total_issuance(), issuance);
			}
			// Every freeze ends with its timeout.
			System::set_block_number(
				System::block_number() +
					<<Runtime as pallet_model_registry::Config>::DisputeTimeout as frame_support::traits::Get<u32>>::get(),
			);
			for model in models {
				let _ = RoyaltyDistribution::distribute(signed(&dave), model, 1);
			}
			for who in accounts.iter().chain([TreasuryAccount::get()].iter()) {
				claim_all(who, &[d0, d1, hidden]);
			}
			// Left: route rounding carried per version (under one unit per route entry, one more
			// for a corrective route) and pool fractions (under one unit per holder, plus the
			// carried remainder).
			let left = RoyaltyDistribution::obligations();
			assert!(left < 3 * 6 + 3 * 13, "{left} units left in the pot");
			check_invariants();
		});
	}
}

// ------------------------------------------------------------------ payment channels

#[test]
fn vouchers_signed_off_chain_with_sr25519_and_ed25519_settle_in_the_runtime() {
	use pallet_invocation_metering::{Channels, NextChannelId};
	use tributary_vouchers::{Scheme, VoucherSigner};

	development().execute_with(|| {
		let Lineage3 { composition, .. } = three_levels();
		let dave = id(Keyring::Dave);
		let genesis = InvocationMetering::genesis_hash();
		let sr = VoucherSigner::from_suri(Scheme::Sr25519, "//Alice").unwrap();
		let ed = VoucherSigner::from_suri(Scheme::Ed25519, "//Consumer").unwrap();
		assert_eq!(sr.account(), id(Keyring::Alice));
		let _ = <Balances as frame_support::traits::fungible::Mutate<_>>::mint_into(
			&ed.account(),
			10_000 * UNIT,
		);
		let expires_at = 100;
		let mut channels = Vec::new();
		for consumer in [&sr, &ed] {
			channels.push(pallet_invocation_metering::NextChannelId::<Runtime>::get());
			assert_ok!(InvocationMetering::open_channel(
				signed(&consumer.account()),
				MultiAddress::Id(dave.clone()),
				composition,
				None,
				3_000 * UNIT,
				expires_at
			));
		}
		assert_eq!(NextChannelId::<Runtime>::get(), 2);
		let pot = RoyaltyDistribution::pot();
		let pot_before = free(&pot);
		// 5 TRIB price + 0.1 TRIB fee per unit. Each consumer signs a voucher per call; the
		// provider settles the latest: 100 units, then 250 in all.
		for (channel, consumer) in channels.iter().zip([&sr, &ed]) {
			for units in [100, 250] {
				let voucher = tributary_vouchers::voucher(genesis, *channel, units);
				assert_ok!(InvocationMetering::settle(
					signed(&dave),
					*channel,
					voucher,
					consumer.sign(&voucher, &channel_binding(*channel))
				));
			}
			// A voucher signed by the other consumer is refused.
			let voucher = tributary_vouchers::voucher(genesis, *channel, 300);
			let other = if std::ptr::eq(consumer, &sr) { &ed } else { &sr };
			assert_eq!(
				InvocationMetering::settle(
					signed(&dave),
					*channel,
					voucher,
					other.sign(&voucher, &channel_binding(*channel))
				),
				Err(pallet_invocation_metering::Error::<Runtime>::BadSignature.into())
			);
		}
		// Both settled again in one batch, to 400 units each.
		let batch = channels
			.iter()
			.zip([&sr, &ed])
			.map(|(channel, consumer)| {
				let voucher = tributary_vouchers::voucher(genesis, *channel, 400);
				(*channel, voucher, consumer.sign(&voucher, &channel_binding(*channel)))
			})
			.collect();
		assert_ok!(InvocationMetering::settle_batch(signed(&dave), batch));
		let per_unit = 5 * UNIT + 100 * MILLI;
		assert_eq!(free(&pot), pot_before + 2 * 400 * per_unit);
		for (channel, consumer) in channels.iter().zip([&sr, &ed]) {
			let record = Channels::<Runtime>::get(channel).unwrap();
			assert_eq!(record.settled_units, 400);
			assert_eq!(record.deposit, 3_000 * UNIT - 400 * per_unit);
			let before = free(&consumer.account());
			assert_ok!(InvocationMetering::close_channel(signed(&dave), *channel));
			let record_deposit =
				<Runtime as pallet_invocation_metering::Config>::ChannelDeposit::get();
			assert_eq!(
				free(&consumer.account()),
				before + 3_000 * UNIT - 400 * per_unit + record_deposit
			);
		}
		// 800 units of the composition: the provider's fee is 80 TRIB, the route's royalty
		// 800 × 4.85 TRIB, exactly as 800 direct units would pay.
		assert_eq!(RoyaltyDistribution::claimable_credits(&dave), 80 * UNIT);
		assert_eq!(
			pallet_royalty_distribution::Undistributed::<Runtime>::get(composition, 1)
				.unwrap()
				.amount,
			800 * 4_850 * MILLI
		);
		check_invariants();
	});
}
