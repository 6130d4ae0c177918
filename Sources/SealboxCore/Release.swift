// The one definition of the release both executables print (`sealboxd --version`,
// `sealbox --version`) and the daemon reports in /metrics. CHANGELOG.md records each.

/// The Sealbox release these modules belong to.
public enum SealboxRelease {
    /// The release number, semantic versioning (0.x: formats may still change, with a migration).
    public static let version = "0.9.0"
}
