# plots.gp: bench/run.sh's two figures, from the data files
# bench/run_table.py plot-data writes.
#   gnuplot -e "datadir='DIR'; outdir='DIR'" bench/plots.gp
# ttd.png     per strategy, the share of all runs (every buggy variant of
#             the C catalogue x every seed) that found their bug within x
#             executions: a curve further up and left detects sooner
# growth.png  executions per second and ns per channel operation against
#             the number of goroutines, one curve per operations-per-goroutine
load datadir.'/vars.gp'
set terminal pngcairo size 900,520 font ",10" noenhanced
set key bottom right
set grid

set output outdir.'/ttd.png'
set title "Time to detect: C catalogue, every buggy variant x seed"
set logscale x
set xlabel "executions to the first finding (schedules for exhaustive)"
set ylabel "share of runs that found the bug"
set yrange [0:1.02]
plot for [i=1:words(strategies)] datadir.'/ttd_'.word(strategies, i).'.dat' \
    using 1:2 with steps lw 2 title word(labels, i)

set output outdir.'/growth.png'
set multiplot layout 1,2 title "Cost growth: G goroutines x K sends each, on one unbuffered channel"
unset yrange
set logscale xy
set xlabel "goroutines"
set xtics (2, 8, 64, 512)
set key top right
set title "executions per second"
set ylabel "executions / s"
plot for [k in ks] datadir.'/growth_k'.k.'.dat' using 1:4 with linespoints lw 2 title 'K = '.k
set title "ns per channel operation (flat = linear)"
set ylabel "ns / operation"
set logscale x
unset logscale y
set yrange [0:*]
set key bottom right
plot for [k in ks] datadir.'/growth_k'.k.'.dat' using 1:5 with linespoints lw 2 title 'K = '.k
unset multiplot
