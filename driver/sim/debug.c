// SPDX-License-Identifier: GPL-2.0
/*
 * bes2600 simulation stand-in: debugfs.
 *
 * /sys/kernel/debug/bes2600/status   - "key: value" lines, one per counter
 *
 * (The real driver's file is ieee80211/phy0/bes2600/vif_0/status; the
 * stand-in has no cfg80211 phy, so it uses its own top-level directory.)
 */
#include <linux/kernel.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "bes2600.h"

static int bes2600_status_show(struct seq_file *m, void *v)
{
	struct bes2600_common *hw_priv = m->private;
	struct bes2600_fw *fw = &hw_priv->fw;
	int i, fw_held, fw_fifo, fw_out, fw_outstanding, bus_q, bh_q;
	bool halted;
	u64 asserts, overruns, dropped_halted;

	spin_lock_bh(&fw->lock);
	fw_held = skb_queue_len(&fw->held);
	fw_fifo = skb_queue_len(&fw->fifo);
	fw_out = skb_queue_len(&fw->out);
	fw_outstanding = fw->outstanding;
	halted = fw->halted;
	asserts = fw->asserts;
	overruns = fw->overruns;
	dropped_halted = fw->dropped_halted;
	spin_unlock_bh(&fw->lock);
	bus_q = skb_queue_len(&hw_priv->bus_tx_q);
	bh_q = skb_queue_len(&hw_priv->bh_rx_q);

	seq_printf(m, "driver: bes2600 simulation stand-in\n");
	seq_printf(m, "version: %s\n", BES2600_SIM_VERSION);
	seq_printf(m, "variant: %s\n", BES2600_SIM_VARIANT);
	seq_printf(m, "interface: %s\n", hw_priv->ndev->name);
	seq_printf(m, "lower: %s\n", hw_priv->lower ? hw_priv->lower->name : "-");
	seq_printf(m, "state: %s\n", READ_ONCE(hw_priv->wedged) ? "wedged" :
		   halted ? "lmac-halted" : "running");
	seq_printf(m, "wedged: %d\n", READ_ONCE(hw_priv->wedged) ? 1 : 0);
	seq_printf(m, "numInpChBufs: %d\n", hw_priv->wsm_caps.numInpChBufs);
	seq_printf(m, "hw_bufs_used: %d\n", bes2600_hw_bufs_used(hw_priv));
	for (i = 0; i < BES2600_MAX_VIFS; i++)
		seq_printf(m, "hw_bufs_used_vif[%d]: %d\n", i,
			   bes2600_hw_bufs_used_vif(hw_priv, i));
	for (i = 0; i < BES2600_MAX_VIFS; i++)
		seq_printf(m, "wsm_tx_pending[%d]: %d\n", i,
			   bes2600_tx_pending(hw_priv, i));
	/* What the chip really holds; drift = host count - truth. */
	seq_printf(m, "chip_bufs_outstanding: %d\n",
		   fw_outstanding + bus_q + bh_q);
	seq_printf(m, "hw_bufs_drift: %d\n", bes2600_hw_bufs_used(hw_priv) -
		   (fw_outstanding + bus_q + bh_q));
	seq_printf(m, "fw_held: %d\n", fw_held);
	seq_printf(m, "fw_fifo: %d\n", fw_fifo);
	seq_printf(m, "fw_out: %d\n", fw_out);
	seq_printf(m, "fw_overruns: %llu\n", overruns);
	seq_printf(m, "fw_asserts: %llu\n", asserts);
	seq_printf(m, "fw_dropped_halted: %llu\n", dropped_halted);
	seq_printf(m, "tx_queue: %u\n", skb_queue_len(&hw_priv->tx_queue));
	seq_printf(m, "rx_queue: %u\n", skb_queue_len(&hw_priv->rx_queue));
#define ST(name) seq_printf(m, #name ": %lld\n", \
			    (long long)atomic64_read(&hw_priv->st.name))
	ST(confirms);
	ST(confirms_aborted);
	ST(tx_frames);
	ST(tx_bytes);
	ST(rx_frames);
	ST(rx_bytes);
	ST(tx_dropped);
	ST(rx_dropped);
	ST(underflow_warns);
	ST(link_breaks);
	ST(recoveries);
	ST(bh_runs);
	ST(sdio_tx_runs);
	ST(sdio_rx_runs);
#undef ST
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bes2600_status);

void bes2600_debug_init(struct bes2600_common *hw_priv)
{
	hw_priv->debugfs = debugfs_create_dir("bes2600", NULL);
	debugfs_create_file("status", 0444, hw_priv->debugfs, hw_priv,
			    &bes2600_status_fops);
}

void bes2600_debug_exit(struct bes2600_common *hw_priv)
{
	debugfs_remove_recursive(hw_priv->debugfs);
	hw_priv->debugfs = NULL;
}
