//! Shared vocabulary of the domain: the `coded!` tables that every module
//! uses for its enums. A leaf: it imports nothing of the features that use
//! it, so no module has to import another feature for its codes.

/// Code tables: every enum is stored by a stable snake-case code and shown
/// translated. `ALL`, `code()` and `from_code()` for each; serde writes the
/// same code, so JSON (settings, evidence, server functions) and the
/// database spell a value one way.
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
    };
}
pub(crate) use coded;
