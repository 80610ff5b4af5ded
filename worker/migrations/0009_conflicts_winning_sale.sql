-- The push's conflict read-back (worker/src/push.ts SALE_CONFLICTS_SQL) finds the
-- returned_but_sold / donated_but_sold conflicts that the push's own sales won by the winning
-- sale's id, one key lookup per sale, instead of reading every conflict the register ever won
-- through conflicts_winner (winning_register_id): worker/test/plans.test.ts.
CREATE INDEX `conflicts_winning_sale` ON `conflicts` (`winning_sale_id`);
