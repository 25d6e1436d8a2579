//! Shared vocabulary of the domain: the `coded!` tables that every module
//! uses for its enums. A leaf: it imports nothing of the features that use
//! it, so no module has to import another feature for its codes.

/// Code tables: every enum is stored by a stable snake-case code and shown
/// translated. `ALL`, `code()` and `from_code()` for each; serde writes the
/// same code, so JSON (settings, evidence, server functions) and the
/// database spell a value one way; with the `server` feature each enum is
/// also an `sqlx` type (bound and decoded as its code).
macro_rules! coded {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $($(#[$vdoc])* #[serde(rename = $code)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database and used in CSV files.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }

        crate::domain::code::stored_as_code!($name);
    };
}
pub(crate) use coded;

/// Bind and decode an enum with `code()` and `from_code()` as its code in a
/// text column, on both databases (`coded!` does this for its enums).
macro_rules! stored_as_code {
    ($name:ident) => {
        // Stored as its code in a text column on both databases: rows
        // decode straight into the enum, and an unknown code is an error.
        #[cfg(feature = "server")]
        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            str: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <str as sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <str as sqlx::Type<DB>>::compatible(ty)
            }
        }

        #[cfg(feature = "server")]
        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            &'r str: sqlx::Decode<'r, DB>,
        {
            fn decode(value: <DB as sqlx::Database>::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let code = <&'r str as sqlx::Decode<'r, DB>>::decode(value)?;
                Self::from_code(code).ok_or_else(|| format!("{} has no code {code:?}", stringify!($name)).into())
            }
        }

        #[cfg(feature = "server")]
        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $name
        where
            &'static str: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&'static str as sqlx::Encode<'q, DB>>::encode_by_ref(&self.code(), buf)
            }
        }
    };
}
pub(crate) use stored_as_code;
