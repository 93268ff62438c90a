console.log('relayer');
