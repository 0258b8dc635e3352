/// One line of a chart: a policy's hit ratio at each capacity.
public struct ChartSeries: Sendable, Equatable {
  /// The legend label.
  public var name: String
  /// Drawn dashed (the offline optimum).
  public var isDashed: Bool
  /// `(capacity, hit ratio)` points, by ascending capacity.
  public var points: [ChartPoint]

  /// Creates a series.
  public init(name: String, isDashed: Bool, points: [ChartPoint]) {
    self.name = name
    self.isDashed = isDashed
    self.points = points
  }
}

/// A point of a ``ChartSeries``.
public struct ChartPoint: Sendable, Equatable {
  /// The capacity.
  public var x: Int
  /// The hit ratio, 0...1.
  public var y: Double

  /// Creates a point.
  public init(x: Int, y: Double) {
    self.x = x
    self.y = y
  }
}

/// One chart: a title, an x-axis label and its series.
public struct ChartPanel: Sendable, Equatable {
  /// The title above the plot.
  public var title: String
  /// A smaller line under the title (the trace's full description).
  public var subtitle: String?
  /// The x-axis label.
  public var xLabel: String
  /// The lines.
  public var series: [ChartSeries]

  /// Creates a panel.
  public init(title: String, subtitle: String? = nil, xLabel: String, series: [ChartSeries]) {
    self.title = title
    self.subtitle = subtitle
    self.xLabel = xLabel
    self.series = series
  }

  /// The panel for a simulation: one series per policy.
  public init(report: SimulationReport) {
    let series = report.policies.map { policy in
      let rows = report.results.filter { $0.policy == policy }.sorted { $0.capacity < $1.capacity }
      return ChartSeries(name: policy, isDashed: rows.first?.isOptimal ?? false,
                         points: rows.map { ChartPoint(x: $0.capacity, y: $0.hitRatio) })
    }
    self.init(title: report.title, subtitle: report.source, xLabel: report.weighted ? "capacity (total size)" : "capacity (entries)", series: series)
  }
}
