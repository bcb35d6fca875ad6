package dev.ktriage.model;

/** Tool-specific parts of a report. */
public sealed interface ReportDetails permits KasanDetails, KcsanDetails, KmsanDetails, KfenceDetails,
    UbsanDetails, WarningDetails, LockdepDetails, HungTaskDetails, StallDetails, KernelBugDetails,
    // faults (h-oops-c)
    FaultDetails {}
