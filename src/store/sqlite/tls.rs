//! The self-signed TLS material, one row per database (`docs/tls.md`).

use super::SqliteStore;
use crate::store::records::{StoredLeaf, StoredTls, TLS_COLUMNS};

impl SqliteStore {
    pub async fn tls_material(&self) -> sqlx::Result<Option<StoredTls>> {
        sqlx::query_as(&format!(
            "SELECT {TLS_COLUMNS} FROM tls_material WHERE id = 1"
        ))
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn install_tls_if_none(
        &self,
        candidate: &StoredTls,
        now: i64,
    ) -> sqlx::Result<StoredTls> {
        // The first insert wins; a racing process inserts nothing and reads the winner below.
        sqlx::query(
            "INSERT INTO tls_material (id, ca_cert_pem, ca_key_pem, leaf_cert_pem, leaf_key_pem,
                 hostnames, leaf_not_after, created_at, leaf_issued_at)
             VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(&candidate.ca_cert_pem)
        .bind(&candidate.ca_key_pem)
        .bind(&candidate.leaf.cert_pem)
        .bind(&candidate.leaf.key_pem)
        .bind(&candidate.leaf.hostnames)
        .bind(candidate.leaf.not_after)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        self.stored_tls().await
    }

    pub async fn replace_tls_leaf(
        &self,
        seen_cert_pem: &str,
        leaf: &StoredLeaf,
        now: i64,
    ) -> sqlx::Result<StoredTls> {
        // Compare-and-set: of processes replacing the same certificate, one does.
        sqlx::query(
            "UPDATE tls_material SET leaf_cert_pem = ?, leaf_key_pem = ?, hostnames = ?,
                 leaf_not_after = ?, leaf_issued_at = ?
             WHERE id = 1 AND leaf_cert_pem = ?",
        )
        .bind(&leaf.cert_pem)
        .bind(&leaf.key_pem)
        .bind(&leaf.hostnames)
        .bind(leaf.not_after)
        .bind(now)
        .bind(seen_cert_pem)
        .execute(&self.pool)
        .await?;
        self.stored_tls().await
    }

    async fn stored_tls(&self) -> sqlx::Result<StoredTls> {
        sqlx::query_as(&format!(
            "SELECT {TLS_COLUMNS} FROM tls_material WHERE id = 1"
        ))
        .fetch_one(&self.pool)
        .await
    }
}
