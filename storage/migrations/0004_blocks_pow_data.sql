-- Schema version 4: what follows the 80-byte header in a block of a
-- merge-mined coin (Namecoin, Dogecoin: the AuxPoW proof), so the full header
-- Electrum clients of those coins expect can be served. NULL for coins
-- without it; block hashes, links and checkpoint proofs still use `header`.
ALTER TABLE blocks ADD COLUMN pow_data bytea CHECK (octet_length(pow_data) > 0);
