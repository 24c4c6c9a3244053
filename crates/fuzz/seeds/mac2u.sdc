# Seed for the SDC fuzz target: every command the reader supports, on the
# shipped 2-bit MAC (netlists/mac2u_sg13g2.v).
set period 2.0
create_clock -name clk -period $period
set_input_delay [expr {$period * 0.25}] -clock clk [get_ports {a[0] a[1] w*}]
set_output_delay 0.1 -clock clk [all_outputs]
set_input_transition 0.05 [get_ports p_in*]
set_load 0.002 [get_ports p_out]
set_clock_uncertainty -setup 0.05 [get_clocks clk]
set_clock_transition 0.03 [all_clocks]
set ins [delete_from_list [all_inputs] [get_ports w*]]
set_input_transition [expr {0.01 + 2 * (0.005)}] $ins
