import Testing

/// Parent of every suite in this target. Serialized because several tests seed and draw from the
/// shared default generator, as chapter programs do.
@Suite(.serialized) enum EngineTests {}
